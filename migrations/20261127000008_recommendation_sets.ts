/**
 * recommendation_sets: for each beneficiary, the last ranked set of recommendations — its
 * rows (`recommendation_ids`, best first), which model ranked it, for which opportunity
 * types, when (`generated_at`, the application's clock, which also stamps its
 * `recommendations` rows), how many were asked and found, and
 * `ranked_at`: the database clock read before the profile was loaded. Profile and
 * opportunity rows are stamped by the database clock (`updated_at` triggers), so whether
 * anything changed after the ranking read it is a comparison on one clock.
 *
 * Written by recommendFor (the API and the nightly refresh) in the transaction that stores
 * the rows; read by GET /v1/me/recommendations to serve the set again while it is still
 * what ranking would give (src/matching/stored-recommendations.ts).
 *
 * Frozen history: imports only knex.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('recommendation_sets', (t) => {
    t.uuid('candidate_id').primary().references('id').inTable('candidates').onDelete('CASCADE');
    t.string('model_version', 40).notNullable();
    // Sorted opportunity types asked for; empty for all types.
    t.specificType('types', 'text[]').notNullable().defaultTo('{}');
    t.timestamp('generated_at', { useTz: true }).notNullable();
    t.timestamp('ranked_at', { useTz: true }).notNullable();
    t.integer('requested').notNullable();
    t.integer('found').notNullable();
    // The set's recommendations rows, best first (a timestamp cannot tell two sets apart
    // reliably: a pinned or coarse clock gives them the same one).
    t.specificType('recommendation_ids', 'uuid[]').notNullable().defaultTo('{}');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('recommendation_sets');
}
