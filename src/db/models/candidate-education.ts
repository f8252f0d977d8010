import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import type { DegreeType, EducationLevel } from './enums.js';
import { Candidate } from './candidate.js';

export class CandidateEducation extends TimestampedModel {
  static override tableName = 'candidate_education';

  static override relationMappings = (): RelationMappings => ({
    candidate: {
      relation: Model.BelongsToOneRelation,
      modelClass: Candidate,
      join: { from: 'candidate_education.candidate_id', to: 'candidates.id' },
    },
  });

  declare candidate_id: string;
  declare institution_name: string;
  declare degree_type: DegreeType;
  declare education_level: EducationLevel | null;
  declare field_of_study: string;
  declare start_year: number;
  declare end_year: number | null;
  declare grade: string | null;
  declare is_verified: boolean;
  declare sort_order: number;

  declare candidate?: Candidate;
}
