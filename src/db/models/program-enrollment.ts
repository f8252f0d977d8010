import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import type { ProgramEnrollmentStatus, ProgramType } from './enums.js';
import { Program } from './program.js';
import { User } from './user.js';

export class ProgramEnrollment extends TimestampedModel {
  static override tableName = 'program_enrollments';

  static override relationMappings = (): RelationMappings => ({
    program: {
      relation: Model.BelongsToOneRelation,
      modelClass: Program,
      join: { from: 'program_enrollments.program_id', to: 'programs.id' },
    },
    user: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'program_enrollments.user_id', to: 'users.id' },
    },
  });

  declare user_id: string;
  declare program_id: string;
  declare program_type: ProgramType;
  declare enrolled_at: Date;
  declare status: ProgramEnrollmentStatus;
  declare completed_at: Date | null;

  declare program?: Program;
  declare user?: User;
}
