/**
 * search_other_writers: a sequence every writer of the search indices other than the stream
 * (backfill, reconciliation, dead-letter replay) advances when it starts. The stream skips a
 * document whose content it wrote itself and which has not changed since — but only while
 * this sequence has not moved and no such writer holds its advisory lock, since another
 * writer may have put different content in the index meanwhile (indexers/other-writers.ts).
 *
 * Frozen history: imports only knex.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE SEQUENCE search_other_writers');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP SEQUENCE search_other_writers');
}
