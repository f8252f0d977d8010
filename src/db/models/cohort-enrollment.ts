import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import type { DocumentVerificationState, EnrollmentState } from './enums.js';
import { Cohort } from './cohort.js';
import { DocumentVerification } from './document-verification.js';
import { User } from './user.js';

export class CohortEnrollment extends TimestampedModel {
  static override tableName = 'cohort_enrollments';
  static override jsonAttributes = ['student_data', 'uploaded_documents'];

  static override relationMappings = (): RelationMappings => ({
    cohort: {
      relation: Model.BelongsToOneRelation,
      modelClass: Cohort,
      join: { from: 'cohort_enrollments.cohort_id', to: 'cohorts.id' },
    },
    user: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'cohort_enrollments.user_id', to: 'users.id' },
    },
    verifications: {
      relation: Model.HasManyRelation,
      modelClass: DocumentVerification,
      join: { from: 'cohort_enrollments.id', to: 'document_verifications.cohort_enrollment_id' },
    },
  });

  declare cohort_id: string;
  declare user_id: string;
  declare state: EnrollmentState;
  declare document_verification_state: DocumentVerificationState;
  declare rejection_reason: string | null;
  declare student_data: Record<string, unknown>;
  declare uploaded_documents: unknown[];

  declare cohort?: Cohort;
  declare user?: User;
  declare verifications?: DocumentVerification[];
}
