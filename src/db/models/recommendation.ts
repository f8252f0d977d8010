import { Model, type JSONSchema, type RelationMappings } from 'objection';
import { TimestampedModel, type Decimal } from './base.js';
import { RECOMMENDATION_STATUSES, type RecommendationStatus } from './enums.js';
import { decimal, integer, oneOf, text } from './schema.js';
import { Application } from './application.js';
import { Candidate } from './candidate.js';
import { Opportunity } from './opportunity.js';

export class Recommendation extends TimestampedModel {
  static override tableName = 'recommendations';
  static override jsonAttributes = ['chips'];

  static override jsonSchema: JSONSchema = {
    type: 'object',
    required: ['match_score', 'model_version'],
    properties: {
      id: text({ format: 'uuid' }),
      candidate_id: text({ format: 'uuid' }),
      opportunity_id: text({ format: 'uuid' }),
      match_score: decimal('unit'),
      rank: integer(1, undefined, { nullable: true }),
      chips: { type: 'array' },
      reason: text({ nullable: true }),
      model_version: text({ minLength: 1, maxLength: 40 }),
      status: oneOf(RECOMMENDATION_STATUSES),
      clicked: { type: 'boolean' },
      applied: { type: 'boolean' },
      feedback_rating: integer(1, 5, { nullable: true }),
      feedback_text: text({ nullable: true }),
    },
  };

  static override relationMappings = (): RelationMappings => ({
    candidate: {
      relation: Model.BelongsToOneRelation,
      modelClass: Candidate,
      join: { from: 'recommendations.candidate_id', to: 'candidates.id' },
    },
    opportunity: {
      relation: Model.BelongsToOneRelation,
      modelClass: Opportunity,
      join: { from: 'recommendations.opportunity_id', to: 'opportunities.id' },
    },
    application: {
      relation: Model.HasOneRelation,
      modelClass: Application,
      join: { from: 'recommendations.id', to: 'applications.recommendation_id' },
    },
  });

  declare candidate_id: string;
  declare opportunity_id: string;
  declare match_score: Decimal;
  declare rank: number | null;
  /** Explainability chips, as src/domain builds them. */
  declare chips: unknown[];
  declare reason: string | null;
  declare model_version: string;
  declare status: RecommendationStatus;
  declare generated_at: Date;
  declare viewed_at: Date | null;
  declare clicked: boolean;
  declare clicked_at: Date | null;
  declare applied: boolean;
  declare applied_at: Date | null;
  declare dismissed_at: Date | null;
  declare feedback_rating: number | null;
  declare feedback_text: string | null;

  declare candidate?: Candidate;
  declare opportunity?: Opportunity;
  declare application?: Application | null;
}
