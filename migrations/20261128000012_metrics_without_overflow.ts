/**
 * Company-period figures without a width that the inputs can exceed. `investment_total` was
 * numeric(14,2), as wide as one `investments.amount`: two large investments in a period
 * overflowed it, and the failed run stopped `company-metrics` until the row was corrected. The
 * ratios had the same trouble from the other side: a tiny investment against large outcomes (or
 * the reverse, for payback) is a figure past numeric(10,4). Sums and ratios are now unbounded
 * numerics; the pipeline rounds what it writes.
 *
 * Frozen history: imports only knex.
 */
import type { Knex } from 'knex';

const COLUMNS: Array<[string, string]> = [
  ['volunteer_hours', 'numeric(12,2)'],
  ['investment_total', 'numeric(14,2)'],
  ['outcomes_present_value', 'numeric(16,2)'],
  ['sroi_ratio', 'numeric(10,4)'],
  ['sroi_low', 'numeric(10,4)'],
  ['sroi_high', 'numeric(10,4)'],
  ['payback_months', 'numeric(8,2)'],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE metrics_company_period ${COLUMNS.map(([column]) => `ALTER COLUMN ${column} TYPE numeric`).join(', ')}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE metrics_company_period ${COLUMNS.map(([column, type]) => `ALTER COLUMN ${column} TYPE ${type}`).join(', ')}`);
}
