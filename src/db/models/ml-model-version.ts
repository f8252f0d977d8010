import { TimestampedModel } from './base.js';
import type { ModelStatus } from './enums.js';

/** A trained matching model; at most one per model_name is active (a partial unique index). */
export class MlModelVersion extends TimestampedModel {
  static override tableName = 'ml_model_versions';
  static override jsonAttributes = ['parameters', 'training_data', 'metrics'];

  declare model_name: string;
  declare version: string;
  declare model_type: string;
  declare status: ModelStatus;
  declare parameters: Record<string, unknown>;
  declare training_data: Record<string, unknown>;
  declare metrics: Record<string, unknown>;
  declare checksum: string | null;
  declare artifact_path: string | null;
  declare trained_at: Date | null;
  declare activated_at: Date | null;
}
