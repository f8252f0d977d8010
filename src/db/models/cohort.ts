import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import type { CohortProgramType, CohortState } from './enums.js';
import { CohortEnrollment } from './cohort-enrollment.js';
import { Organization } from './organization.js';
import { TrainingProgram } from './training-program.js';
import { User } from './user.js';

export class Cohort extends TimestampedModel {
  static override tableName = 'cohorts';
  static override jsonAttributes = ['supporting_templates'];

  static override relationMappings = (): RelationMappings => ({
    institution: {
      relation: Model.BelongsToOneRelation,
      modelClass: Organization,
      join: { from: 'cohorts.institution_id', to: 'organizations.id' },
    },
    sponsor: {
      relation: Model.BelongsToOneRelation,
      modelClass: Organization,
      join: { from: 'cohorts.sponsor_id', to: 'organizations.id' },
    },
    trainingProgram: {
      relation: Model.BelongsToOneRelation,
      modelClass: TrainingProgram,
      join: { from: 'cohorts.training_program_id', to: 'training_programs.id' },
    },
    createdBy: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'cohorts.created_by', to: 'users.id' },
    },
    enrollments: {
      relation: Model.HasManyRelation,
      modelClass: CohortEnrollment,
      join: { from: 'cohorts.id', to: 'cohort_enrollments.cohort_id' },
    },
  });

  declare institution_id: string;
  declare sponsor_id: string | null;
  declare training_program_id: string | null;
  declare created_by: string | null;
  declare name: string;
  declare program_type: CohortProgramType;
  declare sponsor_email: string | null;
  declare student_count: number;
  declare supporting_templates: unknown[];
  declare admin_signed_at: Date | null;
  declare state: CohortState;
  declare start_date: Date | null;
  declare end_date: Date | null;

  declare institution?: Organization;
  declare sponsor?: Organization | null;
  declare trainingProgram?: TrainingProgram | null;
  declare createdBy?: User | null;
  declare enrollments?: CohortEnrollment[];
}
