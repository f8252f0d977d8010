/**
 * The metrics pipelines at their edges, found by a robustness review on 2026-11-28 and each
 * reproduced before it was fixed: the hourly platform run (it failed after the first one),
 * and source rows Postgres accepts that stopped a run (investments too large for the period's
 * total, a malformed age in a learnership's student data, dates of 'infinity' and '-infinity').
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { harness } from './harness.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { loadDemo } from '../src/db/seed/load.js';
import { runJob, type Job } from '../pipelines/runner.js';
import { METRICS_JOBS, jobNamed } from '../pipelines/schedule.js';


describe('pipelines: incremental runs and hostile source rows', function () {
  this.timeout(300_000);
  let db: Knex;
  // The real clock: updated_at comes from now(), so the watermark must too.
  const deps = () => ({ db, log: harness().log, now: () => new Date() });
  const job = (name: string) => jobNamed(name) as Job;

  before(async () => {
    const url = await harness().createDatabase('rr_pipelines');
    db = createDb(harness().config, harness().log, { url });
    await migrateLatest(db);
    await loadDemo(url, { seed: 7, candidates: 300, asOf: new Date('2026-11-01T00:00:00Z') });
    for (const j of METRICS_JOBS) {
      const result = await runJob(deps(), j, { mode: 'full' });
      expect(result.status, `${j.name}: ${result.error}`).to.equal('succeeded');
    }
  });

  after(async () => { await db?.destroy(); });

  it('platform-metrics: an incremental run after the first one succeeds (the scheduler runs it hourly)', async () => {
    // TOUCHED read "searched_at > :since - interval '1 day'": Postgres typed the untyped
    // parameter minus an interval as an interval, and every incremental run failed with
    // "operator does not exist: timestamp with time zone > interval".
    const result = await runJob(deps(), job('platform-metrics'), { mode: 'incremental' });
    expect(result.status, result.error).to.equal('succeeded');
  });

  it('company-metrics: investments at the most investments.amount allows do not overflow the period\'s total', async () => {
    // investment_total was numeric(14,2), as wide as one amount: one such investment in a month
    // that had any other overflowed it, and the run failed until the row was corrected.
    const month = await db('metrics_company_period').where({ period_type: 'month' }).where('investment_total', '>', 0).orderBy(['organization_id', 'period_start']).first();
    const start = month.period_start.toISOString().slice(0, 10);
    const [row] = await db('investments').insert({ organization_id: month.organization_id, investment_type: 'cash', amount: '999999999999.99', currency: 'EUR', invested_on: start }).returning('id');
    try {
      const result = await runJob(deps(), job('company-metrics'), { mode: 'incremental' });
      expect(result.status, result.error).to.equal('succeeded');
      const after = await db('metrics_company_period').where({ organization_id: month.organization_id, period_type: 'year', period_start: `${start.slice(0, 4)}-01-01` }).first('investment_total');
      expect(Number(after.investment_total)).to.be.greaterThan(999_999_999_999.99);
    } finally {
      await db('investments').where({ id: row.id }).delete();
      expect((await runJob(deps(), job('company-metrics'), { mode: 'full' })).status).to.equal('succeeded');
    }
  });

  it('cohort-metrics: one enrolment with a malformed student_data age does not stop every cohort\'s metrics', async () => {
    const enrolment = await db('cohort_enrollments').orderBy('id').first('id', 'student_data');
    await db('cohort_enrollments').where({ id: enrolment.id }).update({ student_data: JSON.stringify({ ...enrolment.student_data, age: 'twenty' }) });
    const result = await runJob(deps(), job('cohort-metrics'), { mode: 'incremental' });
    const full = await runJob(deps(), job('cohort-metrics'), { mode: 'full' });
    await db('cohort_enrollments').where({ id: enrolment.id }).update({ student_data: JSON.stringify(enrolment.student_data) });
    expect(result.status, result.error).to.equal('succeeded');
    expect(full.status, full.error).to.equal('succeeded');
  });

  it('company-metrics: an investment dated \'infinity\' (a valid Postgres date) does not fail every later incremental run', async () => {
    const org = (await db('investments').first('organization_id')).organization_id;
    const [row] = await db('investments').insert({ organization_id: org, investment_type: 'cash', amount: 10, currency: 'EUR', invested_on: 'infinity' }).returning('id');
    const result = await runJob(deps(), job('company-metrics'), { mode: 'incremental' });
    await db('investments').where({ id: row.id }).delete();
    expect(result.status, result.error).to.equal('succeeded');
  });

  it('company-metrics --full: an investment dated \'-infinity\' is not a silent "succeeded, 0 rows" that recomputes nothing', async () => {
    const org = (await db('investments').first('organization_id')).organization_id;
    const [row] = await db('investments').insert({ organization_id: org, investment_type: 'cash', amount: 10, currency: 'EUR', invested_on: '-infinity' }).returning('id');
    // A real change the full run must pick up.
    const target = await db('investments').whereNot({ id: row.id }).where({ investment_type: 'cash' }).orderBy('invested_on', 'desc').first();
    await db('investments').where({ id: target.id }).update({ amount: Number(target.amount) + 1000 });
    const result = await runJob(deps(), job('company-metrics'), { mode: 'full' });
    await db('investments').where({ id: row.id }).delete();
    expect(result.status === 'failed' || result.rows > 0, `status ${result.status}, rows ${result.rows}, from ${result.from}`).to.equal(true);
  });
});
