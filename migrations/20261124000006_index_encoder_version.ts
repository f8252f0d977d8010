/**
 * Which encoder version embedded the documents of each physical index build: a new active
 * encoder means new vectors, so the indexer builds a new index and flips the alias, exactly
 * as for a mapping change. Null: built without vectors (no encoder trained yet).
 *
 * Frozen history: imports only knex.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('search_index_builds', (t) => {
    t.string('encoder_version', 40);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('search_index_builds', (t) => {
    t.dropColumn('encoder_version');
  });
}
