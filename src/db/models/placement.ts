import { Model, type RelationMappings } from 'objection';
import { TimestampedModel, type Decimal } from './base.js';
import { Application } from './application.js';
import { Candidate } from './candidate.js';
import { Opportunity } from './opportunity.js';
import { Organization } from './organization.js';

export class Placement extends TimestampedModel {
  static override tableName = 'placements';
  static override jsonAttributes = ['transparency_timeline', 'roi_metrics'];

  static override relationMappings = (): RelationMappings => ({
    application: {
      relation: Model.BelongsToOneRelation,
      modelClass: Application,
      join: { from: 'placements.application_id', to: 'applications.id' },
    },
    candidate: {
      relation: Model.BelongsToOneRelation,
      modelClass: Candidate,
      join: { from: 'placements.candidate_id', to: 'candidates.id' },
    },
    opportunity: {
      relation: Model.BelongsToOneRelation,
      modelClass: Opportunity,
      join: { from: 'placements.opportunity_id', to: 'opportunities.id' },
    },
    organization: {
      relation: Model.BelongsToOneRelation,
      modelClass: Organization,
      join: { from: 'placements.organization_id', to: 'organizations.id' },
    },
  });

  declare application_id: string;
  declare candidate_id: string;
  declare opportunity_id: string;
  declare organization_id: string;
  declare start_date: Date | string;
  declare end_date: Date | string | null;
  declare salary: Decimal | null;
  declare currency: string | null;
  declare contract_url: string | null;
  declare transparency_timeline: unknown[];
  declare roi_metrics: Record<string, unknown>;

  declare application?: Application;
  declare candidate?: Candidate;
  declare opportunity?: Opportunity;
  declare organization?: Organization;
}
