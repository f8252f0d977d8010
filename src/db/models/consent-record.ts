import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import type { ConsentType } from './enums.js';
import { User } from './user.js';

/** One current decision per person and purpose; its history lives in audit_logs. */
export class ConsentRecord extends TimestampedModel {
  static override tableName = 'consent_records';

  static override relationMappings = (): RelationMappings => ({
    user: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'consent_records.user_id', to: 'users.id' },
    },
  });

  declare user_id: string;
  declare consent_type: ConsentType;
  declare granted: boolean;
  declare policy_version: string;
  declare source: string;
  declare granted_at: Date | null;
  declare revoked_at: Date | null;

  declare user?: User;
}
