/**
 * Trained models on disk and in ml_model_versions: one artifact file next to a JSON
 * description, a SHA-256 checksum of the artifact stored with the row and verified on load,
 * and one active version per model name (activating retires the previous one). Processes
 * load the active version once; nothing is downloaded. The encoder and the ranker are two
 * models stored the same way.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { MeridianError } from '../errors.js';
import { Encoder, type EncoderConfig } from './encoder.js';
import { FEATURES, type Features } from './features.js';

export const ENCODER_MODEL = 'text-encoder';
export const RANKER_MODEL = 'ranker';

export interface SavedModel {
  id: string;
  version: string;
  artifactPath: string;
  checksum: string;
}

export interface ModelDetails {
  parameters: Record<string, unknown>;
  trainingData: Record<string, unknown>;
  metrics: object;
  activate: boolean;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Writes `artifact` under modelsDir/<name>/vN/ and records the version. Versions count every
 * row of the model (retired and never-activated ones too), so a number is never reused.
 */
export async function saveModel(db: Knex, modelsDir: string, model: { name: string; modelType: string; artifactFile: string; artifact: Buffer; description: Record<string, unknown> }, details: ModelDetails): Promise<SavedModel> {
  const { rows: [{ n }] } = await db.raw(`SELECT count(*)::int AS n FROM ml_model_versions WHERE model_name = ?`, [model.name]);
  const version = `v${n + 1}`;
  const dir = path.join(modelsDir, model.name, version);
  await mkdir(dir, { recursive: true });
  const checksum = sha256(model.artifact);
  await writeFile(path.join(dir, model.artifactFile), model.artifact);
  await writeFile(path.join(dir, 'model.json'), JSON.stringify({ model: model.name, version, artifact: model.artifactFile, checksum, ...model.description, ...details }, null, 2));
  const id = await db.transaction(async (trx) => {
    if (details.activate) await trx('ml_model_versions').where({ model_name: model.name, status: 'active' }).update({ status: 'retired' });
    const [row] = await trx('ml_model_versions').insert({
      model_name: model.name, version, model_type: model.modelType, status: details.activate ? 'active' : 'candidate',
      parameters: JSON.stringify(details.parameters), training_data: JSON.stringify(details.trainingData), metrics: JSON.stringify(details.metrics),
      checksum, artifact_path: dir, trained_at: trx.fn.now(), activated_at: details.activate ? trx.fn.now() : null,
    }).returning('id');
    return row.id as string;
  });
  return { id, version, artifactPath: dir, checksum };
}

export interface ActiveModel {
  row: Record<string, any>;
  description: Record<string, any>;
  artifact: Buffer;
}

/** The active version of `name`, its artifact verified against the checksum; undefined when none. */
export async function loadActiveModel(db: Knex, name: string): Promise<ActiveModel | undefined> {
  const row = await db('ml_model_versions').where({ model_name: name, status: 'active' }).orderBy('activated_at', 'desc').first();
  if (!row) return undefined;
  const description = JSON.parse(await readFile(path.join(row.artifact_path, 'model.json'), 'utf8')) as Record<string, any>;
  const artifact = await readFile(path.join(row.artifact_path, (description.artifact as string | undefined) ?? 'weights.f32'));
  if (sha256(artifact) !== row.checksum) {
    throw new MeridianError('model_checksum_mismatch', `${name} ${row.version}: the weights at ${row.artifact_path} do not match the checksum recorded in ml_model_versions`);
  }
  return { row, description, artifact };
}

export async function saveEncoder(db: Knex, modelsDir: string, encoder: Encoder, details: ModelDetails): Promise<SavedModel> {
  const weights = Buffer.from(encoder.weights.buffer, encoder.weights.byteOffset, encoder.weights.byteLength);
  return saveModel(db, modelsDir, { name: ENCODER_MODEL, modelType: 'hashed-ngram-embedding-bag', artifactFile: 'weights.f32', artifact: weights, description: { config: encoder.config } },
    { ...details, parameters: { ...encoder.config, ...details.parameters } });
}

/** The active encoder, verified against its checksum; undefined when none is trained yet. */
export async function loadActiveEncoder(db: Knex): Promise<Encoder | undefined> {
  const active = await loadActiveModel(db, ENCODER_MODEL);
  if (!active) return undefined;
  const data = active.artifact;
  const weights = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  return new Encoder(active.description.config as EncoderConfig, weights, active.row.version);
}

/** A ranker is a weight per feature of features.ts (non-negative, so chips keep their sign). */
export interface RankerModel {
  version: string;
  weights: Features;
  /** When it was trained: new feedback after this is what a retrain learns from. */
  trainedAt: Date;
  metrics: Record<string, any>;
}

export async function saveRanker(db: Knex, modelsDir: string, weights: Features, details: ModelDetails): Promise<SavedModel> {
  // Named weights in a fixed order, so the checksum is of exactly what is loaded.
  const artifact = Buffer.from(JSON.stringify({ features: FEATURES, weights: Object.fromEntries(FEATURES.map((f) => [f, weights[f]])) }, null, 2));
  return saveModel(db, modelsDir, { name: RANKER_MODEL, modelType: 'linear-pairwise-ranker', artifactFile: 'weights.json', artifact, description: {} }, details);
}

export async function loadActiveRanker(db: Knex): Promise<RankerModel | undefined> {
  const active = await loadActiveModel(db, RANKER_MODEL);
  if (!active) return undefined;
  const stored = JSON.parse(active.artifact.toString('utf8')) as { weights: Record<string, number> };
  const weights = {} as Features;
  for (const feature of FEATURES) {
    const w = stored.weights[feature];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new MeridianError('model_invalid', `ranker ${active.row.version}: no valid weight for feature "${feature}"`);
    weights[feature] = w;
  }
  return { version: active.row.version, weights, trainedAt: new Date(active.row.trained_at), metrics: active.row.metrics ?? {} };
}
