import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import { Permission } from './permission.js';
import { User } from './user.js';

export class Role extends TimestampedModel {
  static override tableName = 'roles';

  static override relationMappings = (): RelationMappings => ({
    permissions: {
      relation: Model.ManyToManyRelation,
      modelClass: Permission,
      join: {
        from: 'roles.id',
        through: { from: 'role_permissions.role_id', to: 'role_permissions.permission_id' },
        to: 'permissions.id',
      },
    },
    users: {
      relation: Model.ManyToManyRelation,
      modelClass: User,
      join: {
        from: 'roles.id',
        through: { from: 'user_roles.role_id', to: 'user_roles.user_id', extra: ['assigned_by'] },
        to: 'users.id',
      },
    },
  });

  declare name: string;
  declare display_name: string;
  declare description: string | null;
  declare is_system_role: boolean;

  declare permissions?: Permission[];
  declare users?: User[];
}
