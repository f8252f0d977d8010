import { Model, type JSONSchema, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import { CEFR_LEVELS, type CefrLevel } from './enums.js';
import { oneOf, text } from './schema.js';
import { Candidate } from './candidate.js';

export class CandidateLanguage extends TimestampedModel {
  static override tableName = 'candidate_languages';

  static override jsonSchema: JSONSchema = {
    type: 'object',
    required: ['language_code', 'cefr_level'],
    properties: {
      id: text({ format: 'uuid' }),
      candidate_id: text({ format: 'uuid' }),
      // ISO 639-1 or 639-3, lower case.
      language_code: text({ pattern: '^[a-z]{2,3}$' }),
      cefr_level: oneOf(CEFR_LEVELS),
      is_native: { type: 'boolean' },
    },
  };

  static override relationMappings = (): RelationMappings => ({
    candidate: {
      relation: Model.BelongsToOneRelation,
      modelClass: Candidate,
      join: { from: 'candidate_languages.candidate_id', to: 'candidates.id' },
    },
  });

  declare candidate_id: string;
  declare language_code: string;
  declare cefr_level: CefrLevel;
  declare is_native: boolean;

  declare candidate?: Candidate;
}
