/**
 * Training the encoder end to end: pairs from the platform (and an O*NET directory when one
 * is given), training, and a saved, checksummed version in ml_model_versions. Shared by
 * `meridian train encoder` and `meridian start`, which trains one on first start so
 * recommendations use embeddings out of the box.
 */
import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from '../log.js';
import { MeridianError } from '../errors.js';
import { DEFAULT_ENCODER_CONFIG } from './encoder.js';
import { onetPairs, platformPairs, summarise } from './pairs.js';
import { DEFAULT_TRAIN_OPTIONS, trainEncoder, type TrainResult } from './train-encoder.js';
import { loadActiveEncoder, saveEncoder, type SavedModel } from './model-store.js';

export interface EncoderTrainingOptions {
  onet?: string;
  steps?: number;
  batchSize?: number;
  activate: boolean;
}

export async function trainAndSaveEncoder(db: Knex, modelsDir: string, log: Logger, options: EncoderTrainingOptions): Promise<SavedModel & { metrics: TrainResult['metrics'] }> {
  const onet = options.onet ? path.resolve(options.onet) : null;
  const pairs = [...await platformPairs(db), ...(onet ? await onetPairs(onet) : [])];
  const train = { ...DEFAULT_TRAIN_OPTIONS, steps: options.steps ?? DEFAULT_TRAIN_OPTIONS.steps, batchSize: options.batchSize ?? DEFAULT_TRAIN_OPTIONS.batchSize };
  log.info('train: encoder', { pairs: pairs.length, sources: summarise(pairs), steps: train.steps });
  const every = Math.max(1, Math.round(train.steps / 10));
  const result = await trainEncoder(pairs, { ...train, config: DEFAULT_ENCODER_CONFIG, onProgress: (step, loss) => { if (step % every === 0 || step === train.steps) log.info('train: step', { step, of: train.steps, loss: Math.round(loss * 1000) / 1000 }); } });
  const saved = await saveEncoder(db, modelsDir, result.encoder, {
    parameters: { steps: train.steps, batchSize: train.batchSize, learningRate: train.learningRate, temperature: train.temperature, seed: train.seed },
    trainingData: { pairs: summarise(pairs), onet }, metrics: result.metrics, activate: options.activate,
  });
  return { ...saved, metrics: result.metrics };
}

/** Steps for the encoder `meridian start` trains when there is none (about half a minute here). */
export const FIRST_START_STEPS = 300;

/** Trains and activates an encoder when none is active; returns whether it trained one. */
export async function ensureEncoder(db: Knex, modelsDir: string, log: Logger): Promise<boolean> {
  if (await loadActiveEncoder(db)) return false;
  log.info('start: no text encoder yet; training one on the platform\'s data', { steps: FIRST_START_STEPS });
  let saved;
  try {
    saved = await trainAndSaveEncoder(db, modelsDir, log, { steps: FIRST_START_STEPS, activate: true });
  } catch (error) {
    // Too little data to learn from is no reason not to start: matching runs on text alone
    // until `meridian train encoder` has something to train on.
    if (!(error instanceof MeridianError && error.code === 'training_data_too_small')) throw error;
    log.warn('start: not training an encoder yet; matching uses text and skills only', { reason: error.message });
    return false;
  }
  log.info('start: text encoder trained', { version: saved.version, seconds: saved.metrics.seconds, heldOutRecall5: saved.metrics.trained.recall5 });
  return true;
}
