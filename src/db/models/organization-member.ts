import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import type { OrganizationMemberRole } from './enums.js';
import { Organization } from './organization.js';
import { User } from './user.js';

export class OrganizationMember extends TimestampedModel {
  static override tableName = 'organization_members';

  static override relationMappings = (): RelationMappings => ({
    organization: {
      relation: Model.BelongsToOneRelation,
      modelClass: Organization,
      join: { from: 'organization_members.organization_id', to: 'organizations.id' },
    },
    user: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'organization_members.user_id', to: 'users.id' },
    },
  });

  declare organization_id: string;
  declare user_id: string;
  declare role: OrganizationMemberRole;
  declare job_title: string | null;
  declare department: string | null;
  declare can_search: boolean;
  declare can_send_introductions: boolean;
  declare can_create_roles: boolean;
  declare can_manage_billing: boolean;
  declare status: 'active' | 'inactive';
  declare joined_at: Date;
  declare last_active_at: Date | null;

  declare organization?: Organization;
  declare user?: User;
}
