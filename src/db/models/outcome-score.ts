import { Model, type JSONSchema, type RelationMappings } from 'objection';
import { BaseModel, type Decimal } from './base.js';
import { OUTCOME_DIMENSIONS, OUTCOME_TEXT_TYPES, type OutcomeDimension, type OutcomeTextType } from './enums.js';
import { decimal, oneOf, text } from './schema.js';
import { EvidenceSnippet } from './evidence-snippet.js';
import { Program } from './program.js';
import { User } from './user.js';

/** A model's score of one text on one outcome dimension; append-only, so no updated_at. */
export class OutcomeScore extends BaseModel {
  static override tableName = 'outcome_scores';

  static override jsonSchema: JSONSchema = {
    type: 'object',
    required: ['text_id', 'text_type', 'dimension', 'score', 'confidence', 'model_version'],
    properties: {
      id: text({ format: 'uuid' }),
      // Polymorphic: a buddy_feedback, buddy_checkins or external feedback row, per text_type.
      text_id: text({ format: 'uuid' }),
      text_type: oneOf(OUTCOME_TEXT_TYPES),
      user_id: text({ format: 'uuid' }),
      program_id: text({ format: 'uuid', nullable: true }),
      dimension: oneOf(OUTCOME_DIMENSIONS),
      score: decimal('unit'),
      confidence: decimal('unit'),
      model_version: text({ minLength: 1, maxLength: 40 }),
    },
  };

  static override relationMappings = (): RelationMappings => ({
    evidence: {
      relation: Model.HasManyRelation,
      modelClass: EvidenceSnippet,
      join: { from: 'outcome_scores.id', to: 'evidence_snippets.outcome_score_id' },
    },
    user: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'outcome_scores.user_id', to: 'users.id' },
    },
    program: {
      relation: Model.BelongsToOneRelation,
      modelClass: Program,
      join: { from: 'outcome_scores.program_id', to: 'programs.id' },
    },
  });

  declare text_id: string;
  declare text_type: OutcomeTextType;
  declare user_id: string;
  declare program_id: string | null;
  declare dimension: OutcomeDimension;
  declare score: Decimal;
  declare confidence: Decimal;
  declare model_version: string;
  declare scored_at: Date;

  declare evidence?: EvidenceSnippet[];
  declare user?: User;
  declare program?: Program | null;
}
