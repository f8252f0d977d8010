import { Model, type JSONSchema, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import { USER_STATUSES, USER_TYPES, type UserStatus, type UserType } from './enums.js';
import { integer, oneOf, text } from './schema.js';
import { Candidate } from './candidate.js';
import { ConsentRecord } from './consent-record.js';
import { OrganizationMember } from './organization-member.js';
import { Organization } from './organization.js';
import { Permission } from './permission.js';
import { Role } from './role.js';

export class User extends TimestampedModel {
  static override tableName = 'users';
  static override jsonAttributes = ['metadata'];

  static override jsonSchema: JSONSchema = {
    type: 'object',
    required: ['email', 'first_name', 'last_name', 'user_type'],
    properties: {
      id: text({ format: 'uuid' }),
      email: text({ format: 'email', maxLength: 320 }),
      phone: text({ maxLength: 32, nullable: true }),
      first_name: text({ maxLength: 160 }),
      last_name: text({ maxLength: 160 }),
      preferred_name: text({ maxLength: 160, nullable: true }),
      user_type: oneOf(USER_TYPES),
      status: oneOf(USER_STATUSES),
      preferred_language: text({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' }),
      email_verified: { type: 'boolean' },
      phone_verified: { type: 'boolean' },
      two_factor_enabled: { type: 'boolean' },
      auth_provider: text({ maxLength: 40 }),
      profile_completion_pct: integer(0, 100),
      metadata: { type: 'object' },
    },
  };

  static override relationMappings = (): RelationMappings => ({
    candidate: {
      relation: Model.HasOneRelation,
      modelClass: Candidate,
      join: { from: 'users.id', to: 'candidates.user_id' },
    },
    roles: {
      relation: Model.ManyToManyRelation,
      modelClass: Role,
      join: {
        from: 'users.id',
        through: { from: 'user_roles.user_id', to: 'user_roles.role_id', extra: ['assigned_by'] },
        to: 'roles.id',
      },
    },
    permissions: {
      relation: Model.ManyToManyRelation,
      modelClass: Permission,
      join: {
        from: 'users.id',
        through: { from: 'user_permissions.user_id', to: 'user_permissions.permission_id', extra: ['granted_by', 'expires_at'] },
        to: 'permissions.id',
      },
    },
    memberships: {
      relation: Model.HasManyRelation,
      modelClass: OrganizationMember,
      join: { from: 'users.id', to: 'organization_members.user_id' },
    },
    organizations: {
      relation: Model.ManyToManyRelation,
      modelClass: Organization,
      join: {
        from: 'users.id',
        through: { from: 'organization_members.user_id', to: 'organization_members.organization_id', extra: ['role'] },
        to: 'organizations.id',
      },
    },
    consents: {
      relation: Model.HasManyRelation,
      modelClass: ConsentRecord,
      join: { from: 'users.id', to: 'consent_records.user_id' },
    },
  });

  declare email: string;
  declare phone: string | null;
  declare first_name: string;
  declare last_name: string;
  declare preferred_name: string | null;
  declare user_type: UserType;
  declare status: UserStatus;
  declare preferred_language: string;
  declare email_verified: boolean;
  declare phone_verified: boolean;
  declare two_factor_enabled: boolean;
  declare auth_provider: string;
  declare profile_completion_pct: number;
  declare metadata: Record<string, unknown>;
  declare last_login_at: Date | null;
  declare last_active_at: Date | null;
  declare deleted_at: Date | null;
  /** Set when the person exercised erasure: personal fields are blanked, the row stays for aggregates. */
  declare erased_at: Date | null;

  declare candidate?: Candidate | null;
  declare roles?: Role[];
  declare permissions?: Permission[];
  declare memberships?: OrganizationMember[];
  declare organizations?: Organization[];
  declare consents?: ConsentRecord[];
}
