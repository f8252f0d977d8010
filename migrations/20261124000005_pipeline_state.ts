/**
 * The pipelines' own state (DESIGN §7): one row per job run (what ran, over which periods,
 * how it ended, how many rows it wrote) and each job's watermark — the newest source change
 * it has already folded in, so the next incremental run starts from there.
 *
 * Frozen history: imports only knex.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TYPE pipeline_run_status_enum AS ENUM ('running', 'succeeded', 'failed', 'skipped')`);
  await knex.schema.createTable('pipeline_runs', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('job', 80).notNullable();
    // full: every period; incremental: periods touched since the watermark; range: --from/--to.
    t.string('mode', 20).notNullable();
    t.date('period_from');
    t.date('period_to');
    t.specificType('status', 'pipeline_run_status_enum').notNullable().defaultTo('running');
    t.integer('rows').notNullable().defaultTo(0);
    t.text('error');
    t.timestamp('watermark_from', { useTz: true });
    t.timestamp('watermark_to', { useTz: true });
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.index(['job', 'started_at']);
  });
  await knex.raw(`ALTER TABLE pipeline_runs ADD CONSTRAINT pipeline_runs_mode CHECK (mode IN ('full', 'incremental', 'range'))`);
  await knex.schema.createTable('pipeline_watermarks', (t) => {
    t.string('job', 80).primary();
    t.timestamp('watermark', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE TRIGGER pipeline_watermarks_updated_at BEFORE UPDATE ON pipeline_watermarks FOR EACH ROW EXECUTE FUNCTION set_updated_at()');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('pipeline_watermarks');
  await knex.schema.dropTable('pipeline_runs');
  await knex.raw('DROP TYPE pipeline_run_status_enum');
}
