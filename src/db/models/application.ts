import { Model, type JSONSchema, type RelationMappings } from 'objection';
import { TimestampedModel, type Decimal } from './base.js';
import { APPLICATION_STATUSES, type ApplicationStatus } from './enums.js';
import { decimal, oneOf, text } from './schema.js';
import { Candidate } from './candidate.js';
import { Opportunity } from './opportunity.js';
import { Placement } from './placement.js';
import { Recommendation } from './recommendation.js';
import { User } from './user.js';

export class Application extends TimestampedModel {
  static override tableName = 'applications';
  static override jsonAttributes = ['explainability', 'timeline', 'interview_feedback'];

  static override jsonSchema: JSONSchema = {
    type: 'object',
    properties: {
      id: text({ format: 'uuid' }),
      candidate_id: text({ format: 'uuid' }),
      opportunity_id: text({ format: 'uuid' }),
      recommendation_id: text({ format: 'uuid', nullable: true }),
      status: oneOf(APPLICATION_STATUSES),
      ai_fit_score: decimal('percent', { nullable: true }),
      explainability: { type: 'array' },
      timeline: { type: 'array' },
      interview_feedback: {},
      cover_letter: text({ nullable: true }),
      reviewed_by: text({ format: 'uuid', nullable: true }),
    },
  };

  static override relationMappings = (): RelationMappings => ({
    candidate: {
      relation: Model.BelongsToOneRelation,
      modelClass: Candidate,
      join: { from: 'applications.candidate_id', to: 'candidates.id' },
    },
    opportunity: {
      relation: Model.BelongsToOneRelation,
      modelClass: Opportunity,
      join: { from: 'applications.opportunity_id', to: 'opportunities.id' },
    },
    recommendation: {
      relation: Model.BelongsToOneRelation,
      modelClass: Recommendation,
      join: { from: 'applications.recommendation_id', to: 'recommendations.id' },
    },
    placement: {
      relation: Model.HasOneRelation,
      modelClass: Placement,
      join: { from: 'applications.id', to: 'placements.application_id' },
    },
    reviewer: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'applications.reviewed_by', to: 'users.id' },
    },
  });

  declare candidate_id: string;
  declare opportunity_id: string;
  declare recommendation_id: string | null;
  declare status: ApplicationStatus;
  declare ai_fit_score: Decimal | null;
  declare explainability: unknown[];
  declare timeline: unknown[];
  declare interview_feedback: unknown;
  declare cover_letter: string | null;
  declare reviewed_by: string | null;
  declare reviewed_at: Date | null;
  declare submitted_at: Date | null;

  declare candidate?: Candidate;
  declare opportunity?: Opportunity;
  declare recommendation?: Recommendation | null;
  declare placement?: Placement | null;
  declare reviewer?: User | null;
}
