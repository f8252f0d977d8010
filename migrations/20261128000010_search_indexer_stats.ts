/**
 * search_indexer_stats: what the running indexer has done since it started, per replication
 * slot — documents indexed, deleted, refused as stale, dead-lettered, and not written because
 * the index already held them (unchanged, covered). The indexer keeps these counters in memory
 * and saves them every few seconds while they change, so that `meridian status`, which runs in
 * another process, can show them.
 *
 * Frozen history: imports only knex.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('search_indexer_stats', (table) => {
    table.text('slot_name').primary();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('saved_at', { useTz: true }).notNullable();
    for (const counter of ['indexed', 'deleted', 'stale', 'dead_lettered', 'unchanged', 'covered']) {
      table.bigInteger(counter).notNullable().defaultTo(0);
    }
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('search_indexer_stats');
}
