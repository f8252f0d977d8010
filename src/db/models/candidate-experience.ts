import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import type { EmploymentType } from './enums.js';
import { Candidate } from './candidate.js';
import { Organization } from './organization.js';

export class CandidateExperience extends TimestampedModel {
  static override tableName = 'candidate_experience';
  static override jsonAttributes = ['achievements'];

  static override relationMappings = (): RelationMappings => ({
    candidate: {
      relation: Model.BelongsToOneRelation,
      modelClass: Candidate,
      join: { from: 'candidate_experience.candidate_id', to: 'candidates.id' },
    },
    organization: {
      relation: Model.BelongsToOneRelation,
      modelClass: Organization,
      join: { from: 'candidate_experience.organization_id', to: 'organizations.id' },
    },
  });

  declare candidate_id: string;
  declare organization_id: string | null;
  declare company_name: string;
  declare job_title: string;
  declare industry: string | null;
  /** Free text as the candidate wrote it, not a locations row. */
  declare location: string | null;
  declare employment_type: EmploymentType;
  declare start_date: Date | string;
  declare end_date: Date | string | null;
  declare is_current: boolean;
  declare description: string | null;
  declare achievements: unknown[] | null;
  declare team_size: number | null;
  declare sort_order: number;

  declare candidate?: Candidate;
  declare organization?: Organization | null;
}
