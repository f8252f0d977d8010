import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import type { PermissionAction } from './enums.js';
import { Role } from './role.js';

export class Permission extends TimestampedModel {
  static override tableName = 'permissions';

  static override relationMappings = (): RelationMappings => ({
    roles: {
      relation: Model.ManyToManyRelation,
      modelClass: Role,
      join: {
        from: 'permissions.id',
        through: { from: 'role_permissions.permission_id', to: 'role_permissions.role_id' },
        to: 'roles.id',
      },
    },
  });

  declare name: string;
  declare resource: string;
  declare action: PermissionAction;
  declare description: string | null;

  declare roles?: Role[];
}
