/**
 * What a saved search has already shown its owner, so running it again can say what is new
 * since the last run. (Talent pools keep the same memory in talent_pool_members.added_at.)
 * `result_id` names a candidate or an opportunity, by the search's audience; it carries no
 * foreign key because it may name either, and a deleted result simply never matches again.
 *
 * Frozen history: imports only knex.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('saved_search_hits', (t) => {
    t.uuid('saved_search_id').notNullable().references('id').inTable('saved_searches').onDelete('CASCADE');
    t.uuid('result_id').notNullable();
    t.timestamp('first_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['saved_search_id', 'result_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('saved_search_hits');
}
