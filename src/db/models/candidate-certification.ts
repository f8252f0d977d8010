import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import { Candidate } from './candidate.js';

export class CandidateCertification extends TimestampedModel {
  static override tableName = 'candidate_certifications';

  static override relationMappings = (): RelationMappings => ({
    candidate: {
      relation: Model.BelongsToOneRelation,
      modelClass: Candidate,
      join: { from: 'candidate_certifications.candidate_id', to: 'candidates.id' },
    },
  });

  declare candidate_id: string;
  declare certification_name: string;
  declare issuing_organization: string;
  declare issue_date: Date | string;
  declare expiry_date: Date | string | null;
  declare credential_id: string | null;
  declare credential_url: string | null;
  declare is_verified: boolean;

  declare candidate?: Candidate;
}
