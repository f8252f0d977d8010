import { Model, type RelationMappings } from 'objection';
import { TimestampedModel } from './base.js';
import type { PoolVisibility } from './enums.js';
import { Candidate } from './candidate.js';
import { Organization } from './organization.js';
import { User } from './user.js';

export class TalentPool extends TimestampedModel {
  static override tableName = 'talent_pools';
  static override jsonAttributes = ['config', 'segments', 'subscriptions', 'query'];

  static override relationMappings = (): RelationMappings => ({
    organization: {
      relation: Model.BelongsToOneRelation,
      modelClass: Organization,
      join: { from: 'talent_pools.organization_id', to: 'organizations.id' },
    },
    owner: {
      relation: Model.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'talent_pools.owner_user_id', to: 'users.id' },
    },
    candidates: {
      relation: Model.ManyToManyRelation,
      modelClass: Candidate,
      join: {
        from: 'talent_pools.id',
        // tags (jsonb) is left out: join-table extras are written without JSON encoding.
        through: { from: 'talent_pool_members.talent_pool_id', to: 'talent_pool_members.candidate_id', extra: ['added_by', 'notes', 'added_at'] },
        to: 'candidates.id',
      },
    },
  });

  declare organization_id: string;
  declare owner_user_id: string | null;
  declare name: string;
  declare visibility: PoolVisibility;
  declare config: Record<string, unknown>;
  declare segments: unknown[];
  declare subscriptions: unknown[];
  /** The saved search that fills the pool, if any. */
  declare query: Record<string, unknown> | null;
  declare last_run_at: Date | null;

  declare organization?: Organization;
  declare owner?: User | null;
  declare candidates?: Candidate[];
}
