/**
 * Talent pool names: unique among an organisation's shared pools, and among each person's own
 * private pools, instead of across the whole organisation. With one name space per
 * organisation, creating a pool named like a colleague's private pool answered 409
 * `name_taken` — which told the caller that the private pool existed and what it was called.
 *
 * Frozen history: imports only knex.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE talent_pools DROP CONSTRAINT talent_pools_organization_id_name_unique');
  await knex.raw(`CREATE UNIQUE INDEX talent_pools_shared_name_unique ON talent_pools (organization_id, name) WHERE visibility = 'organization'`);
  await knex.raw(`CREATE UNIQUE INDEX talent_pools_private_name_unique ON talent_pools (organization_id, owner_user_id, name) WHERE visibility = 'private'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX talent_pools_private_name_unique');
  await knex.raw('DROP INDEX talent_pools_shared_name_unique');
  await knex.raw('ALTER TABLE talent_pools ADD CONSTRAINT talent_pools_organization_id_name_unique UNIQUE (organization_id, name)');
}
