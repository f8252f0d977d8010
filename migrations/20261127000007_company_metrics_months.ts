/**
 * What makes an incremental company-metrics run proportional to the new rows:
 *
 * - company_metrics_months, the job's own state: per company and calendar month, the
 *   additive parts of its figures (sums and counts, the distinct volunteers, outcome
 *   quantities). Months, quarters and years are rolled up from it, so a day of new data
 *   recomputes the months it touches and re-reads nothing else of the history. Maintained
 *   only by the job; its rows are rewritten whenever the job recomputes their months.
 * - company_metrics_language_months, also the job's: each participant's best CEFR level per
 *   company and month, so the best level reached before a month is a lookup, not a history.
 * - indexes for the changed-row scans (updated_at / created_at > watermark), the month
 *   ranges a run reads (by programme and time) and the participants with recent rows.
 *
 * The company-metrics watermark is dropped: the state starts empty, so the job's next run
 * must be a full one (an incremental run without a watermark is).
 *
 * Frozen history: imports only knex.
 */
import type { Knex } from 'knex';

/** [table, columns] of each index added (named `<table>_<columns>_index`, knex's convention). */
const INDEXES: Array<[string, string[]]> = [
  ['sessions', ['updated_at']],
  ['sessions', ['program_id', 'completed_at']],
  ['investments', ['updated_at']],
  ['program_enrollments', ['updated_at']],
  ['outcome_scores', ['created_at']],
  ['outcome_scores', ['program_id', 'scored_at']],
  // A participant's first score of a dimension (the baseline), in one lookup.
  ['outcome_scores', ['user_id', 'dimension', 'scored_at', 'id']],
  ['buddy_checkins', ['created_at']],
  ['buddy_checkins', ['checkin_date']],
  ['learning_progress', ['updated_at']],
  ['placements', ['updated_at']],
];

export async function up(knex: Knex): Promise<void> {
  for (const [table, columns] of INDEXES) {
    await knex.schema.alterTable(table, (t) => {
      t.index(columns);
    });
  }
  await knex.schema.createTable('company_metrics_months', (t) => {
    t.uuid('organization_id').notNullable().references('id').inTable('organizations').onDelete('CASCADE');
    t.date('month').notNullable();
    t.integer('sessions').notNullable().defaultTo(0);
    t.specificType('volunteer_ids', 'uuid[]').notNullable().defaultTo('{}');
    t.specificType('rating_sum', 'numeric').notNullable().defaultTo(0);
    t.integer('ratings').notNullable().defaultTo(0);
    t.specificType('cash_in_kind', 'numeric').notNullable().defaultTo(0);
    t.specificType('volunteer_hours', 'numeric').notNullable().defaultTo(0);
    // Null when no volunteer hours of the month carry their own hourly value.
    t.specificType('hours_value', 'numeric');
    t.specificType('hours_without_value', 'numeric').notNullable().defaultTo(0);
    for (const dimension of ['integration', 'language', 'job_readiness', 'wellbeing', 'lift']) {
      t.specificType(`${dimension}_sum`, 'numeric').notNullable().defaultTo(0);
      t.integer(`${dimension}_n`).notNullable().defaultTo(0);
    }
    // Outcome key → quantity (sum of event amounts) for the keys with events in the month.
    t.jsonb('quantities').notNullable().defaultTo('{}');
    t.timestamp('computed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['organization_id', 'month']);
  });
  // Each participant's best CEFR level in each month (language sessions of the company's
  // programmes): "the best level reached before" a month, for language gains, is a lookup.
  await knex.schema.createTable('company_metrics_language_months', (t) => {
    t.uuid('organization_id').notNullable().references('id').inTable('organizations').onDelete('CASCADE');
    // No foreign key: a check per row made the state's refresh cost more than its reads (a
    // deleted participant's rows go at the next full rebuild, which rewrites every month).
    t.uuid('participant_id').notNullable();
    t.date('month').notNullable();
    t.smallint('best_rank').notNullable();
    t.primary(['organization_id', 'participant_id', 'month']);
  });
  await knex('pipeline_watermarks').where({ job: 'company-metrics' }).delete();
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('company_metrics_language_months');
  await knex.schema.dropTable('company_metrics_months');
  for (const [table, columns] of INDEXES) {
    await knex.schema.alterTable(table, (t) => {
      t.dropIndex(columns);
    });
  }
}
