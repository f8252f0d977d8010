/**
 * The reporting API under hostile parameters, found by a robustness review on 2026-11-28 and
 * each reproduced before it was fixed: every bad input a 4xx with a coded JSON error, never a
 * 5xx (cursors, years 0 and 10000, impossible calendar dates), no cohorts listed to a token of
 * no organisation, and an explicit format winning over the Accept header.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { reportsWorld, type ReportsWorld } from './reports-world.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('reports API: hostile parameters', function () {
  this.timeout(300_000);
  let world: ReportsWorld;
  let db: Knex;
  let company: string;
  let funder: string;
  let admin: string;
  let period: { type: string; start: string };
  const get: ReportsWorld['get'] = (...args) => world.get(...args);
  const tokenFor: ReportsWorld['tokenFor'] = (...args) => world.tokenFor(...args);
  /** A 4xx with a JSON error and a stable code. */
  const expectClientError = (response: Awaited<ReturnType<typeof get>>, label: string) => {
    expect(response.status, `${label}: ${response.text}`).to.be.within(400, 499);
    expect(response.body?.error?.code, label).to.be.a('string');
  };

  before(async () => {
    world = await reportsWorld();
    ({ db, company, funder, admin, period } = world);
  });

  it('refuses an evidence cursor of the right shape whose values are not a timestamp and an id (400 cursor_invalid, not 500)', async () => {
    const path = `/v1/reports/companies/${company}/evidence?period_type=${period.type}&period_start=${period.start}&outcome=employment`;
    // The route only checks "array of two strings"; the values go to ?::timestamptz and ?::uuid.
    for (const cursor of [b64(['not-a-date', 'x']), b64(['2026-01-01T00:00:00Z', 'not-a-uuid']), b64(['', ''])]) {
      const response = await get(`${path}&cursor=${cursor}`, funder);
      expectClientError(response, `cursor ${cursor}`);
      expect(response.body.error.code).to.equal('cursor_invalid');
    }
  });

  it('refuses year 0000 in from/to (Postgres has no year 0) with a 400, not a 500', async () => {
    const cases = [
      `/v1/reports/companies/${company}/metrics/series?from=0000-01-01&to=0000-06-01`,
      '/v1/reports/platform?from=0000-01-01&to=0000-06-01',
      '/v1/reports/funnel?from=0000-01-01&to=0000-06-01',
    ];
    for (const path of cases) expectClientError(await get(path, admin), path);
  });

  it('handles a period or range ending after 9999-12-31 with a 4xx or 200, not a 500', async () => {
    // periodEndExclusive('9999-12-01','month') is "+010000-01" (toISOString of year 10000, cut at 10 chars).
    const cases = [
      `/v1/reports/companies/${company}/evidence?period_type=month&period_start=9999-12-01&outcome=employment`,
      `/v1/reports/companies/${company}/evidence?period_type=year&period_start=9999-01-01&outcome=participants`,
      // A timestamp with an offset that lands in year 10000 once converted to UTC.
      `/v1/reports/platform?from=9999-12-01&to=${encodeURIComponent('9999-12-31T23:00:00-05:00')}`,
      `/v1/reports/companies/${company}/metrics/series?from=9999-01-01&to=${encodeURIComponent('9999-12-31T23:00:00-05:00')}`,
    ];
    for (const path of cases) {
      const response = await get(path, admin);
      expect(response.status, `${path}: ${response.text}`).to.be.below(500);
    }
  });

  it('refuses impossible calendar dates (2026-02-30) instead of reading them as another day', async () => {
    // Date.parse('2026-02-30') is 2026-03-02: a report for a range the caller never asked for.
    const response = await get(`/v1/reports/companies/${company}/metrics/series?period_type=month&from=2026-02-30&to=2026-06-01`, funder);
    expectClientError(response, 'from=2026-02-30');
  });

  it('does not list unsponsored cohorts to a funder whose token names no organisation', async () => {
    // GET /v1/reports/cohorts: orWhere('sponsor_id', auth.org ?? null) becomes "sponsor_id IS NULL".
    const orphan = await db('cohorts').orderBy('id').first('id', 'sponsor_id');
    await db('cohorts').where({ id: orphan.id }).update({ sponsor_id: null });
    try {
      const response = await get('/v1/reports/cohorts', await tokenFor(['funder']));
      expect(response.status, response.text).to.be.oneOf([200, 403]);
      const ids = (response.body?.rows ?? []).map((r: { id: string }) => r.id);
      expect(ids, 'cohorts listed to a funder of no organisation').to.not.include(orphan.id);
    } finally {
      await db('cohorts').where({ id: orphan.id }).update({ sponsor_id: orphan.sponsor_id });
    }
  });

  it('answers every hostile query on every report route with a 2xx/4xx, never a 5xx', async () => {
    const routes = [
      `/v1/reports/companies/${company}/metrics`, `/v1/reports/companies/${company}/metrics/series`, `/v1/reports/companies/${company}/sroi`,
      `/v1/reports/companies/${company}/evidence?outcome=employment`, `/v1/reports/companies/${company}/skill-gaps`,
      '/v1/reports/platform', '/v1/reports/funnel', '/v1/reports/companies', '/v1/reports/cohorts',
    ];
    const hostile = [
      'period_start=0001-01-01', 'period_start=0000-01-01', 'period_start=9999-12-01', 'period_type=year&period_start=9999-01-01', 'period_start=2026-02-30',
      'period_start=abc', 'period_start[]=2026-01-01', 'period_start[a]=1', 'period_type=month&period_type=year', 'period_type=MONTH',
      'from=0001-01-01&to=0001-12-31', 'from=0000-01-01&to=0000-02-01', 'from=9999-01-01&to=9999-12-31', 'to=9999-12-31T23:59:59-12:00', 'from=1970-01-01&to=2026-01-01',
      'from=2026-01-01T00:00:00%2B14:00&to=2026-01-02', 'format=xml', 'format=csv&format=json', 'format[]=csv', 'size=0', 'size=1e3', 'size=-1', 'size=99999999999999999999',
      'cursor=%00', 'cursor=' + 'A'.repeat(200), 'cursor=' + b64([1, 2]), 'cursor=' + b64(['9999-12-31T23:59:59.999Z', '00000000-0000-0000-0000-000000000000']),
      'outcome=__proto__', 'outcome=constructor', 'unknown=1', '%E0%A4%A=1', 'period_start=%F0%9F%98%80',
    ];
    const failures: string[] = [];
    for (const route of routes) {
      for (const query of hostile) {
        for (const accept of ['application/json', 'text/csv']) {
          const path = route + (route.includes('?') ? '&' : '?') + query;
          const response = await get(path, admin, accept);
          if (response.status >= 500) failures.push(`${response.status} ${accept} ${path}`);
        }
      }
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });

  it('CSV: formula-looking organisation names are neutralised', async () => {
    const names = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    const original = (await db('organizations').where({ id: company }).first('name')).name;
    try {
      for (const name of names) {
        await db('organizations').where({ id: company }).update({ name });
        const csv = await get(`/v1/reports/companies/${company}/metrics/series?format=csv&from=2024-01-01&to=2026-11-01`, funder);
        const json = await get(`/v1/reports/companies/${company}/metrics?period_type=${period.type}&period_start=${period.start}&format=csv`, funder);
        expect(csv.status).to.equal(200);
        for (const text of [json.text]) {
          const cell = text.split('\r\n')[1]!.replace(/^"/, '');
          expect(cell.startsWith("'"), `${JSON.stringify(name)} -> ${JSON.stringify(cell.slice(0, 30))}`).to.equal(true);
        }
      }
    } finally {
      await db('organizations').where({ id: company }).update({ name: original });
    }
  });

  it('an explicit format=json wins over Accept: text/csv', async () => {
    const response = await get(`/v1/reports/companies/${company}/metrics?period_type=${period.type}&period_start=${period.start}&format=json`, funder, 'text/csv');
    expect(response.headers.get('content-type'), response.text.slice(0, 100)).to.include('application/json');
  });
});
