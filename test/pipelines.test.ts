/**
 * The company-metrics pipeline on demo data in real Postgres: a full build, a second run
 * that changes nothing, a late-arriving row that changes exactly the periods it belongs to
 * (incrementally), an incremental result equal to a full rebuild, figures reproducible from
 * their stored parameters, the advisory lock, and failures recorded in the run history.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { harness } from './harness.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { loadDemo } from '../src/db/seed/load.js';
import { runJob, type Job, type JobDeps } from '../pipelines/runner.js';
import { companyMetricsJob } from '../pipelines/jobs/company-metrics.js';
import { computeSroi } from '../src/domain/sroi.js';

type Snapshot = Map<string, string>;

async function snapshot(db: Knex): Promise<Snapshot> {
  const rows = await db('metrics_company_period').select('*').orderBy(['organization_id', 'period_type', 'period_start']);
  return new Map(rows.map((r) => [`${r.organization_id}|${r.period_type}|${r.period_start.toISOString?.().slice(0, 10) ?? r.period_start}`, JSON.stringify(r)]));
}

function differences(a: Snapshot, b: Snapshot): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}

describe('pipelines: company metrics', function () {
  this.timeout(300_000);
  let db: Knex;
  let deps: JobDeps;
  let clock = new Date('2026-11-01T12:00:00Z');

  before(async () => {
    const url = await harness().createDatabase('pipelines');
    db = createDb(harness().config, harness().log, { url });
    await migrateLatest(db);
    await loadDemo(url, { seed: 3, candidates: 1500, asOf: new Date('2026-11-01T00:00:00Z') });
    deps = { db, log: harness().log, now: () => clock };
  });

  after(async () => {
    await db?.destroy();
  });

  it('builds every company, period type and period, with figures reproducible from their parameters', async () => {
    const result = await runJob(deps, companyMetricsJob, { mode: 'incremental' });
    expect(result.status, result.error).to.equal('succeeded');
    expect(result.rows).to.be.greaterThan(0);
    const counts = await db('metrics_company_period').select('period_type').count<{ period_type: string; count: string }[]>('* as count').groupBy('period_type');
    expect(counts.map((c) => c.period_type).sort()).to.deep.equal(['month', 'quarter', 'year']);

    // Additive figures of a quarter are the sum of its months.
    const { rows: [mismatch] } = await db.raw(`
      SELECT count(*)::int AS n FROM metrics_company_period q CROSS JOIN LATERAL (
        SELECT sum(m.sessions_count)::int AS sessions, sum(m.placements_count)::int AS placements, sum(m.investment_total) AS investment
        FROM metrics_company_period m WHERE m.organization_id = q.organization_id AND m.period_type = 'month'
          AND m.period_start >= q.period_start AND m.period_start < q.period_start + interval '3 months') months
      WHERE q.period_type = 'quarter' AND (q.sessions_count, q.placements_count, q.investment_total) IS DISTINCT FROM (months.sessions, months.placements, months.investment)`);
    expect(mismatch.n).to.equal(0);

    // Every stored ratio comes back from the stored parameters and quantities.
    const rows = await db('metrics_company_period').whereNotNull('sroi_ratio').where('sroi_ratio', '>', 0).limit(50);
    expect(rows.length).to.be.greaterThan(10);
    for (const row of rows) {
      const quantities = Object.fromEntries(row.breakdown.outcomes.map((o: { key: string; quantity: number }) => [o.key, o.quantity]));
      const again = computeSroi({
        investment: Number(row.investment_total), discountRate: row.parameters.discountRate,
        outcomes: row.parameters.outcomes.map((o: any) => ({ ...o, quantity: quantities[o.key] ?? 0 })),
      });
      expect(again.ratio, `${row.organization_id} ${row.period_type} ${row.period_start}`).to.be.closeTo(Number(row.sroi_ratio), 0.0001);
      expect(row.value_map_version).to.be.a('number');
    }
    const withVis = await db('metrics_company_period').whereNotNull('vis_score').first('vis_score');
    expect(Number(withVis.vis_score)).to.be.within(0, 100);
  });

  it('changes nothing when run again (not even computed_at)', async () => {
    const before = await snapshot(db);
    clock = new Date('2026-11-01T13:00:00Z');
    const full = await runJob(deps, companyMetricsJob, { mode: 'full' });
    expect(full.status).to.equal('succeeded');
    expect(full.rows).to.equal(0);
    const incremental = await runJob(deps, companyMetricsJob, { mode: 'incremental' });
    expect(incremental.rows).to.equal(0);
    expect(differences(before, await snapshot(db))).to.deep.equal([]);
  });

  it('folds a late-arriving row into exactly the periods it belongs to, as a full rebuild would', async () => {
    const company = (await db('programs').orderBy('organization_id').first('organization_id')).organization_id;
    const before = await snapshot(db);
    // Cash invested in June 2025, recorded only today.
    await db('investments').insert({ organization_id: company, investment_type: 'cash', amount: 5000, currency: 'EUR', invested_on: '2025-06-15', description: 'late grant' });
    clock = new Date('2026-11-01T14:00:00Z');
    const incremental = await runJob(deps, companyMetricsJob, { mode: 'incremental' });
    expect(incremental.status, incremental.error).to.equal('succeeded');
    const after = await snapshot(db);
    expect(differences(before, after)).to.deep.equal([`${company}|month|2025-06-01`, `${company}|quarter|2025-04-01`, `${company}|year|2025-01-01`].sort());
    const june = await db('metrics_company_period').where({ organization_id: company, period_type: 'month', period_start: '2025-06-01' }).first();
    expect(Number(june.investment_total) - Number(JSON.parse(before.get(`${company}|month|2025-06-01`)!).investment_total)).to.be.closeTo(5000, 0.001);
    // A full rebuild finds nothing left to change.
    const full = await runJob(deps, companyMetricsJob, { mode: 'full' });
    expect(full.rows).to.equal(0);
    expect(differences(after, await snapshot(db))).to.deep.equal([]);
  });

  it('keeps its monthly state exact through late rows and edits: incremental runs end where a full rebuild does', async () => {
    // Rows that move history-dependent figures of later months: a new best CEFR level before
    // a participant's first session, a low baseline before a participant's first job-readiness
    // score, a low check-in before a participant's first (good) check-in, a new best level in the
    // middle of a participant's history; then an edit of an existing session.
    // All after the job's earliest day (a row before it would add empty periods for every company).
    const notBefore = `'${await companyMetricsJob.earliest(db)}'::date + 60`;
    const { rows: [lang] } = await db.raw(`
      SELECT s.id, s.participant_id, s.program_id, s.volunteer_id, s.completed_at FROM sessions s
      WHERE s.session_type = 'language' AND s.language_level IS NOT NULL AND s.completed_at > ${notBefore} AND s.program_id IS NOT NULL
      ORDER BY s.participant_id, s.completed_at LIMIT 1`);
    const { rows: [score] } = await db.raw(`
      SELECT user_id, program_id, min(scored_at) AS first FROM outcome_scores WHERE dimension = 'job_readiness' AND program_id IS NOT NULL
      GROUP BY 1, 2 HAVING count(*) > 2 AND min(scored_at) > ${notBefore} ORDER BY 1, 2 LIMIT 1`);
    const { rows: [match] } = await db.raw(`
      SELECT id, first FROM (
        SELECT DISTINCT ON (bm.id) bm.id, bc.checkin_date AS first, bc.mood FROM buddy_matches bm JOIN buddy_checkins bc ON bc.match_id = bm.id
        WHERE bm.program_id IS NOT NULL ORDER BY bm.id, bc.checkin_date) firsts
      WHERE mood IN ('good', 'great') AND first > ${notBefore} ORDER BY id LIMIT 1`);
    // And a participant whose history spans months, for a new best level in the middle of it
    // (the best level before the recomputed months then comes from the job's state).
    const { rows: [span] } = await db.raw(`
      SELECT participant_id, (array_agg(program_id))[1] AS program_id, min(completed_at) + (max(completed_at) - min(completed_at)) / 2 AS middle
      FROM sessions WHERE session_type = 'language' AND language_level IS NOT NULL AND completed_at > ${notBefore} AND program_id IS NOT NULL AND participant_id <> ?
      GROUP BY 1 HAVING max(completed_at) - min(completed_at) > interval '70 days' ORDER BY 1 LIMIT 1`, [lang?.participant_id]);
    expect(lang && score && match && span, 'demo data has language sessions, job-readiness scores and check-ins').to.be.ok;
    const daysBefore = (at: Date, days: number) => new Date(new Date(at).getTime() - days * 86_400_000);
    const steps = [
      () => db('sessions').insert({
        session_type: 'language', program_id: lang.program_id, participant_id: lang.participant_id, volunteer_id: lang.volunteer_id,
        scheduled_at: daysBefore(lang.completed_at, 40), completed_at: daysBefore(lang.completed_at, 40), duration_minutes: 60, language_level: 'C2', rating: 0.8,
      }),
      () => db('outcome_scores').insert({
        text_id: score.user_id, text_type: 'checkin_note', user_id: score.user_id, program_id: score.program_id, dimension: 'job_readiness',
        score: 0.01, confidence: 0.9, model_version: 'test', scored_at: daysBefore(score.first, 35),
      }),
      () => db('buddy_checkins').insert({ match_id: match.id, checkin_date: daysBefore(match.first, 50), mood: 'struggling' }),
      () => db('sessions').insert({
        session_type: 'language', program_id: span.program_id, participant_id: span.participant_id,
        scheduled_at: span.middle, completed_at: span.middle, duration_minutes: 45, language_level: 'C1',
      }),
      () => db('sessions').where({ id: lang.id }).update({ rating: 0.2 }),
    ];
    for (const step of steps) {
      await step();
      clock = new Date(clock.getTime() + 3_600_000);
      const result = await runJob(deps, companyMetricsJob, { mode: 'incremental' });
      expect(result.status, result.error).to.equal('succeeded');
      expect(result.rows, 'each step moves some figure').to.be.greaterThan(0);
    }
    // The job's state too: what incremental runs left is what a full rebuild writes.
    const months = async () => JSON.stringify([
      (await db.raw(`SELECT * FROM company_metrics_months ORDER BY organization_id, month`)).rows.map(({ computed_at: _, ...row }: Record<string, unknown>) => row),
      (await db.raw(`SELECT * FROM company_metrics_language_months ORDER BY organization_id, participant_id, month`)).rows,
    ]);
    const incremental = await snapshot(db);
    const incrementalMonths = await months();
    const full = await runJob(deps, companyMetricsJob, { mode: 'full' });
    const rebuilt = await snapshot(db);
    expect(differences(incremental, rebuilt).map((k) => [k, incremental.get(k), rebuilt.get(k)])).to.deep.equal([]);
    expect(await months()).to.equal(incrementalMonths);
    expect(full.rows).to.equal(0);
  });

  it('recomputes a --from/--to range only', async () => {
    const result = await runJob(deps, companyMetricsJob, { mode: 'range', from: '2026-01-01', to: '2026-04-01' });
    expect(result).to.include({ status: 'succeeded', rows: 0, from: '2026-01-01', to: '2026-04-01' });
  });

  it('skips a run while another process holds the job, and records it', async () => {
    const trx = await db.transaction();
    try {
      await trx.raw(`SELECT pg_advisory_xact_lock(hashtext('meridian:pipelines:company-metrics'))`);
      const result = await runJob(deps, companyMetricsJob, { mode: 'incremental' });
      expect(result.status).to.equal('skipped');
      expect((await db('pipeline_runs').where({ id: result.runId }).first()).status).to.equal('skipped');
    } finally {
      await trx.rollback();
    }
  });

  it('records a failure with its error, writes nothing and keeps the watermark', async () => {
    const mark = await db('pipeline_watermarks').where({ job: 'company-metrics' }).first();
    const broken: Job = {
      ...companyMetricsJob,
      async run(jobDeps) {
        await jobDeps.db('metrics_company_period').delete();
        throw new Error('the value map is unreadable');
      },
      touched: async () => [{ from: '2026-01-01', companies: [] }],
    };
    const result = await runJob(deps, broken, { mode: 'incremental' });
    expect(result.status).to.equal('failed');
    expect(result.error).to.include('the value map is unreadable');
    expect(await db('metrics_company_period').count<{ n: string }[]>({ n: '*' }).then((r) => Number(r[0]!.n))).to.be.greaterThan(0);
    expect((await db('pipeline_watermarks').where({ job: 'company-metrics' }).first()).watermark).to.deep.equal(mark.watermark);
    expect((await db('pipeline_runs').where({ id: result.runId }).first())).to.include({ status: 'failed' });
  });
});
