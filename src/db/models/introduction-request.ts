import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import type { IntroductionOutcome, IntroductionStatus } from './enums.js';
import { Candidate } from './candidate.js';
import { Opportunity } from './opportunity.js';
import { Organization } from './organization.js';
import { User } from './user.js';

export class IntroductionRequest extends TimestampedModel {
  static override tableName = 'introduction_requests';

  static override relationMappings = (): RelationMappings => ({
    opportunity: {
      relation: Model.BelongsToOneRelation,
      modelClass: Opportunity,
      join: { from: 'introduction_requests.opportunity_id', to: 'opportunities.id' },
    },
    candidate: {
      relation: Model.BelongsToOneRelation,
      modelClass: Candidate,
      join: { from: 'introduction_requests.candidate_id', to: 'candidates.id' },
    },
    organization: {
      relation: Model.BelongsToOneRelation,
      modelClass: Organization,
      join: { from: 'introduction_requests.organization_id', to: 'organizations.id' },
    },
    sender: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'introduction_requests.sent_by_user_id', to: 'users.id' },
    },
  });

  declare opportunity_id: string;
  declare organization_id: string;
  declare sent_by_user_id: string;
  declare candidate_id: string;
  declare personalized_message: string | null;
  declare status: IntroductionStatus;
  declare professional_response: string | null;
  declare response_date: Date | null;
  declare expires_at: Date;
  declare viewed_by_professional: boolean;
  declare viewed_at: Date | null;
  declare conversation_started: boolean;
  declare interview_scheduled: boolean;
  declare outcome: IntroductionOutcome | null;
  declare outcome_date: Date | null;
  declare outcome_notes: string | null;
  declare sent_at: Date;

  declare opportunity?: Opportunity;
  declare candidate?: Candidate;
  declare organization?: Organization;
  declare sender?: User;
}
