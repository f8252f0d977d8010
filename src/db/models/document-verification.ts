import { Model, type RelationMappings } from 'objection';
import { BaseModel } from './base.js';
import type { VerificationAction } from './enums.js';
import { CohortEnrollment } from './cohort-enrollment.js';
import { User } from './user.js';

/** An admin's decision on one enrolment document; append-only, so no updated_at. */
export class DocumentVerification extends BaseModel {
  static override tableName = 'document_verifications';
  static override jsonAttributes = ['metadata'];

  static override relationMappings = (): RelationMappings => ({
    enrollment: {
      relation: Model.BelongsToOneRelation,
      modelClass: CohortEnrollment,
      join: { from: 'document_verifications.cohort_enrollment_id', to: 'cohort_enrollments.id' },
    },
    admin: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'document_verifications.admin_id', to: 'users.id' },
    },
  });

  declare cohort_enrollment_id: string;
  declare admin_id: string | null;
  declare document_type: string;
  declare action: VerificationAction;
  declare reason: string | null;
  declare metadata: Record<string, unknown>;

  declare enrollment?: CohortEnrollment;
  declare admin?: User | null;
}
