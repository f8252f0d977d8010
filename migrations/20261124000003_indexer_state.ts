/**
 * The CDC indexer's own state (DESIGN §5): physical index builds (resumable backfills, the
 * alias flip) and the dead-letter table for documents the engine rejects.
 *
 * Frozen history: imports only knex.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TYPE search_build_status_enum AS ENUM ('building', 'active', 'replaced', 'abandoned')`);
  await knex.schema.createTable('search_index_builds', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('document_type', 40).notNullable();
    t.string('index_name', 200).notNullable().unique();
    t.integer('mapping_version').notNullable();
    t.specificType('status', 'search_build_status_enum').notNullable().defaultTo('building');
    // Every document written by the backfill carries this LSN as its version; the stream's
    // later changes carry higher ones and win.
    t.string('consistent_lsn', 32).notNullable();
    // Keyset cursor: the last root id written, so a crashed backfill resumes after it.
    t.uuid('cursor');
    t.integer('documents').notNullable().defaultTo(0);
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.text('error');
  });
  await knex.raw(`CREATE UNIQUE INDEX search_index_builds_one_building ON search_index_builds (document_type) WHERE status = 'building'`);
  await knex.raw(`CREATE UNIQUE INDEX search_index_builds_one_active ON search_index_builds (document_type) WHERE status = 'active'`);

  await knex.schema.createTable('search_dead_letters', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('document_type', 40).notNullable();
    t.uuid('root_id').notNullable();
    t.string('index_name', 200).notNullable();
    t.string('lsn', 32).notNullable();
    t.integer('status_code');
    t.string('error_type', 120).notNullable();
    t.text('error').notNullable();
    t.integer('attempts').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_failed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('replayed_at', { useTz: true });
    t.index(['document_type', 'root_id']);
  });
  await knex.raw(`CREATE UNIQUE INDEX search_dead_letters_open ON search_dead_letters (document_type, root_id, index_name) WHERE replayed_at IS NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('search_dead_letters');
  await knex.schema.dropTableIfExists('search_index_builds');
  await knex.raw('DROP TYPE IF EXISTS search_build_status_enum');
}
