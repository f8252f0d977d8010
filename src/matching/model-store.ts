/**
 * Trained models on disk and in ml_model_versions: weights as raw float32 next to a JSON
 * description, a SHA-256 checksum stored with the row and verified on load, and one active
 * version per model name (activating retires the previous one). Processes load the active
 * version once; nothing is downloaded.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { Encoder, type EncoderConfig } from './encoder.js';

export const ENCODER_MODEL = 'text-encoder';

export interface SavedModel {
  id: string;
  version: string;
  artifactPath: string;
  checksum: string;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export async function saveEncoder(db: Knex, modelsDir: string, encoder: Encoder, details: { parameters: Record<string, unknown>; trainingData: Record<string, unknown>; metrics: Record<string, unknown>; activate: boolean }): Promise<SavedModel> {
  const { rows: [{ n }] } = await db.raw(`SELECT count(*)::int AS n FROM ml_model_versions WHERE model_name = ?`, [ENCODER_MODEL]);
  const version = `v${n + 1}`;
  const dir = path.join(modelsDir, ENCODER_MODEL, version);
  await mkdir(dir, { recursive: true });
  const weights = Buffer.from(encoder.weights.buffer, encoder.weights.byteOffset, encoder.weights.byteLength);
  const checksum = sha256(weights);
  await writeFile(path.join(dir, 'weights.f32'), weights);
  await writeFile(path.join(dir, 'model.json'), JSON.stringify({ model: ENCODER_MODEL, version, config: encoder.config, checksum, ...details }, null, 2));
  const id = await db.transaction(async (trx) => {
    if (details.activate) await trx('ml_model_versions').where({ model_name: ENCODER_MODEL, status: 'active' }).update({ status: 'retired' });
    const [row] = await trx('ml_model_versions').insert({
      model_name: ENCODER_MODEL, version, model_type: 'hashed-ngram-embedding-bag', status: details.activate ? 'active' : 'candidate',
      parameters: JSON.stringify({ ...encoder.config, ...details.parameters }), training_data: JSON.stringify(details.trainingData), metrics: JSON.stringify(details.metrics),
      checksum, artifact_path: dir, trained_at: trx.fn.now(), activated_at: details.activate ? trx.fn.now() : null,
    }).returning('id');
    return row.id as string;
  });
  return { id, version, artifactPath: dir, checksum };
}

/** The active encoder, verified against its checksum; undefined when none is trained yet. */
export async function loadActiveEncoder(db: Knex): Promise<Encoder | undefined> {
  const row = await db('ml_model_versions').where({ model_name: ENCODER_MODEL, status: 'active' }).orderBy('activated_at', 'desc').first();
  if (!row) return undefined;
  const meta = JSON.parse(await readFile(path.join(row.artifact_path, 'model.json'), 'utf8')) as { config: EncoderConfig };
  const data = await readFile(path.join(row.artifact_path, 'weights.f32'));
  if (sha256(data) !== row.checksum) throw new Error(`encoder ${row.version}: weights at ${row.artifact_path} do not match the checksum recorded in ml_model_versions`);
  const weights = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  return new Encoder(meta.config, weights, row.version);
}
