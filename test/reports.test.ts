/**
 * The reporting API on demo data after the pipelines ran: company metrics against the
 * previous period, SROI with its parameters and sensitivity, evidence that adds up to each
 * outcome quantity (pseudonymous), CSV, platform and cohort metrics with suppressed small
 * groups, funnels, and the access matrix (a funder sees only their own organisation).
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { reportsWorld, REPORTS_AS_OF, type ReportsWorld } from './reports-world.js';
import { ROLES, type Role } from '../src/api/tokens.js';
import { toCsv } from '../src/api/csv.js';
import { snapshotDays } from '../pipelines/jobs/cohort-metrics.js';


/** Minimal RFC 4180 reader for the tests (quoted cells with commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r') continue;
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; } else cell += c;
  }
  return rows;
}

describe('reporting API', function () {
  this.timeout(300_000);
  let world: ReportsWorld;
  let db: Knex;
  let company: string;
  let otherCompany: string;
  let funder: string;
  let admin: string;
  let period: { type: string; start: string };
  const get: ReportsWorld['get'] = (...args) => world.get(...args);
  const tokenFor: ReportsWorld['tokenFor'] = (...args) => world.tokenFor(...args);

  before(async () => {
    world = await reportsWorld();
    ({ db, company, otherCompany, funder, admin, period } = world);
  });

  it('shows a company\'s period against the previous one, equal to the stored metrics', async () => {
    const response = await get(`/v1/reports/companies/${company}/metrics?period_type=${period.type}&period_start=${period.start}`, funder);
    expect(response.status, response.text).to.equal(200);
    const stored = await db('metrics_company_period').where({ organization_id: company, period_type: period.type, period_start: period.start }).first();
    expect(response.body.current).to.include({ periodStart: period.start, participants: stored.participants_count, sessions: stored.sessions_count, placements: stored.placements_count, sroiRatio: Number(stored.sroi_ratio) });
    expect(response.body.previous.periodStart).to.not.equal(period.start);
    expect(response.body.change.sessions).to.equal(response.body.current.sessions - response.body.previous.sessions);
  });

  it('hides outcome averages, and VIS\'s outcome lift, of a period with fewer than 5 participants, in JSON, series and CSV', async () => {
    // Found by a review: a funder read the average wellbeing of a month with two participants.
    const row = await db('metrics_company_period').where('participants_count', '>', 0).where('participants_count', '<', 5).whereNotNull('avg_wellbeing')
      .orderBy(['organization_id', 'period_type', 'period_start']).first();
    expect(row, 'demo data has a company period with 1-4 participants and an average').to.exist;
    const start = row.period_start.toISOString().slice(0, 10);
    const token = await tokenFor(['funder'], row.organization_id);
    const path = `/v1/reports/companies/${row.organization_id}/metrics?period_type=${row.period_type}&period_start=${start}`;
    const json = await get(path, token);
    expect(json.status, json.text).to.equal(200);
    expect(json.body.current).to.include({ participants: row.participants_count, avgWellbeing: null, avgJobReadiness: null, avgIntegrationScore: null, avgLanguageLevel: null, averagesHidden: true });
    const csv = await get(path, token, 'text/csv');
    expect(csv.text, 'CSV').to.not.include(String(Number(row.avg_wellbeing)));
    const series = await get(`/v1/reports/companies/${row.organization_id}/metrics/series?period_type=${row.period_type}&from=${start}&to=2026-11-02`, token);
    const same = series.body.rows.find((r: { periodStart: string }) => r.periodStart === start);
    expect(same).to.include({ avgWellbeing: null, averagesHidden: true });
    const sroi = await get(`/v1/reports/companies/${row.organization_id}/sroi?period_type=${row.period_type}&period_start=${start}`, token);
    expect(sroi.status, sroi.text).to.equal(200);
    expect(sroi.body.vis).to.include({ outcomeLift: null, outcomeLiftHidden: true });
    expect(sroi.body.vis.components.lift).to.equal(null);
    // A period with enough participants shows its averages.
    const shown = await get(`/v1/reports/companies/${company}/metrics?period_type=${period.type}&period_start=${period.start}`, funder);
    expect(shown.body.current.participants).to.be.at.least(5);
    expect(shown.body.current.averagesHidden).to.equal(false);
    expect(shown.body.current.avgWellbeing).to.be.a('number');
  });

  it('explains SROI: ratio, range, value map with proxy sources, outcomes and a sensitivity grid', async () => {
    const response = await get(`/v1/reports/companies/${company}/sroi?period_type=${period.type}&period_start=${period.start}`, funder);
    expect(response.status, response.text).to.equal(200);
    const body = response.body;
    expect(body.ratio).to.be.a('number');
    expect(body.range.low).to.be.at.most(body.ratio);
    expect(body.range.high).to.be.at.least(body.ratio);
    expect(body.valueMap).to.include.keys('version', 'currency', 'discountRate');
    expect(body.outcomes.map((o: { key: string }) => o.key)).to.include.members(['employment', 'language_gain', 'job_readiness', 'wellbeing', 'credential']);
    for (const outcome of body.outcomes) expect(outcome.proxySource).to.be.a('string').and.not.empty;
    expect(body.sensitivityGrid).to.have.length(25);
  });

  it('lists the evidence behind each outcome quantity, page by page, without names or user ids', async () => {
    const sroi = (await get(`/v1/reports/companies/${company}/sroi?period_type=${period.type}&period_start=${period.start}`, funder)).body;
    const { rows: users } = await db.raw('SELECT id::text, first_name, last_name FROM users');
    for (const outcome of sroi.outcomes as Array<{ key: string; quantity: number }>) {
      let cursor: string | null = null;
      let amount = 0;
      let pages = 0;
      do {
        const page: any = await get(`/v1/reports/companies/${company}/evidence?period_type=${period.type}&period_start=${period.start}&outcome=${outcome.key}&size=7${cursor ? `&cursor=${cursor}` : ''}`, funder);
        expect(page.status, page.text).to.equal(200);
        amount += page.body.rows.reduce((sum: number, row: { amount: number }) => sum + row.amount, 0);
        for (const row of page.body.rows) expect(row.participant).to.match(/^[0-9a-f]{12}$/);
        expect(users.some((u: { id: string }) => page.text.includes(u.id))).to.equal(false);
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor && pages < 200);
      expect(amount, `evidence for ${outcome.key} adds up to its quantity`).to.be.closeTo(outcome.quantity, 1e-9);
    }
    expect(sroi.outcomes.find((o: { key: string }) => o.key === 'employment').quantity).to.be.greaterThan(0);
  });

  it('lists the records behind the activity figures too, adding up to each figure', async () => {
    const stored = await db('metrics_company_period').where({ organization_id: company, period_type: period.type, period_start: period.start }).first();
    const all = async (figure: string) => {
      const rows: Array<{ amount: number; participant: string | null }> = [];
      let cursor: string | null = null;
      do {
        const page: any = await get(`/v1/reports/companies/${company}/evidence?period_type=${period.type}&period_start=${period.start}&outcome=${figure}&size=500${cursor ? `&cursor=${cursor}` : ''}`, funder);
        expect(page.status, page.text).to.equal(200);
        rows.push(...page.body.rows);
        cursor = page.body.nextCursor;
      } while (cursor);
      return rows;
    };
    expect((await all('sessions')).length).to.equal(stored.sessions_count);
    expect(new Set((await all('participants')).map((r) => r.participant)).size).to.equal(stored.participants_count);
    expect(new Set((await all('volunteers')).map((r) => r.participant)).size).to.equal(stored.volunteers_count);
    expect((await all('volunteer_hours')).reduce((sum, r) => sum + r.amount, 0)).to.be.closeTo(Number(stored.volunteer_hours), 0.001);
    expect((await all('investment')).reduce((sum, r) => sum + r.amount, 0)).to.be.closeTo(Number(stored.investment_total), 0.01);
  });

  it('answers CSV for table-shaped reports, equal to the JSON rows', async () => {
    const path = `/v1/reports/companies/${company}/metrics/series?period_type=month&from=2025-11-01&to=2026-11-01`;
    const json = await get(path, funder);
    const csv = await get(path, funder, 'text/csv');
    expect(csv.status).to.equal(200);
    expect(csv.headers.get('content-type')).to.match(/^text\/csv/);
    const rows = parseCsv(csv.text);
    expect(rows.length - 1).to.equal(json.body.rows.length);
    const header = rows[0]!;
    for (const [i, row] of json.body.rows.entries()) {
      expect(rows[i + 1]![header.indexOf('periodStart')]).to.equal(row.periodStart);
      expect(rows[i + 1]![header.indexOf('sessions')]).to.equal(String(row.sessions));
    }
    expect(toCsv([{ a: '=HYPERLINK("x")', b: 'plain, with "quotes"' }])).to.equal('a,b\r\n"\'=HYPERLINK(""x"")","plain, with ""quotes"""\r\n');
  });

  it('keeps cohort demographics free of groups under 5, for the cohort\'s institution only', async () => {
    const cohort = await db('cohorts').orderBy('id').first('id', 'institution_id');
    const institution = await tokenFor(['institution_admin'], cohort.institution_id);
    const response = await get(`/v1/reports/cohorts/${cohort.id}?from=2025-01-01&to=2026-11-02`, institution);
    expect(response.status, response.text).to.equal(200);
    expect(response.body.rows.length).to.be.greaterThan(0);
    let suppressed = 0;
    for (const row of response.body.rows) {
      for (const groups of Object.values(row.demographics) as Array<Record<string, number | null>>) {
        for (const count of Object.values(groups)) {
          if (count === null) suppressed++;
          else expect(count).to.be.at.least(5);
        }
      }
    }
    expect(suppressed, 'demo cohorts have small groups to hide').to.be.greaterThan(0);
    const other = await db('cohorts').whereNot({ institution_id: cohort.institution_id }).first('id');
    expect((await get(`/v1/reports/cohorts/${other.id}`, institution)).status).to.equal(404);
  });

  it('gives platform metrics and the platform funnel to administrators, and an organisation its own funnel', async () => {
    const platform = await get('/v1/reports/platform?from=2026-10-01&to=2026-11-01', admin);
    expect(platform.status).to.equal(200);
    expect(platform.body.rows).to.have.length(31);
    const funnel = await get('/v1/reports/funnel?from=2024-01-01&to=2026-11-02', admin);
    const stages = funnel.body.stages.map((s: { stage: string }) => s.stage);
    expect(stages).to.deep.equal(['signed_up', 'posted', 'shortlisted', 'interviewed', 'contracted', 'placed']);
    const counts = funnel.body.stages.map((s: { count: number }) => s.count);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).to.be.at.most(counts[i - 1]);
    const employer = (await db('opportunities').groupBy('organization_id').orderByRaw('count(*) desc').first('organization_id')).organization_id;
    const own = await get('/v1/reports/funnel?from=2024-01-01&to=2026-11-02', await tokenFor(['recruiter'], employer));
    expect(own.body.scope).to.equal('organization');
    expect(own.body.stages[0]).to.deep.equal({ stage: 'posted', count: Number((await db('opportunities').where({ organization_id: employer }).where('created_at', '>=', '2024-01-01').count<{ n: string }[]>({ n: '*' }))[0]!.n) });
  });

  it('serves reports to active members of the token\'s organisation only', async () => {
    const path = `/v1/reports/companies/${company}/metrics?period_type=${period.type}&period_start=${period.start}`;
    const token = await tokenFor(['funder'], company);
    expect((await get(path, token)).status).to.equal(200);
    const user = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub as string;
    // Left the organisation, token still valid: every report is refused.
    await db('organization_members').where({ organization_id: company, user_id: user }).update({ status: 'inactive' });
    for (const refusedPath of [path, `/v1/reports/companies/${company}/metrics/series`, '/v1/reports/companies', '/v1/reports/funnel']) {
      const refused = await get(refusedPath, token);
      expect(refused.status, refusedPath).to.equal(403);
      expect(refused.body.error.code).to.equal('not_a_member');
    }
    // Never a member at all.
    const [stranger] = await db('users').insert({ email: `stranger-${Math.random().toString(36).slice(2)}@example.org`, first_name: 'No', last_name: 'Member', user_type: 'COMPANY_USER' }).returning('id');
    expect((await get(path, world.sign({ sub: stranger.id, org: company, roles: ['funder'] }))).status).to.equal(403);
  });

  it('refuses a period start that does not start a period, naming the parameter', async () => {
    const response = await get(`/v1/reports/companies/${company}/metrics?period_type=quarter&period_start=2026-05-01`, funder);
    expect(response.status).to.equal(400);
    expect(response.body.error.code).to.equal('invalid_parameter');
    expect(response.body.error.details.problems[0].param).to.equal('period_start');
  });

  it('answers the access matrix: every report × every role × own and foreign organisation', async () => {
    const cohort = await db('cohorts').whereNotNull('sponsor_id').orderBy('id').first('id', 'institution_id', 'sponsor_id');
    const foreignCohort = await db('cohorts').whereNot({ institution_id: cohort.institution_id }).whereNot({ sponsor_id: cohort.sponsor_id }).first('id');
    const q = `period_type=${period.type}&period_start=${period.start}`;
    const endpoints: Array<{ name: string; path: (own: boolean) => string; expect: Partial<Record<Role | 'none', [number, number]>> }> = [
      { name: 'metrics', path: (own) => `/v1/reports/companies/${own ? company : otherCompany}/metrics?${q}`, expect: { administrator: [200, 200], funder: [200, 404] } },
      { name: 'series', path: (own) => `/v1/reports/companies/${own ? company : otherCompany}/metrics/series`, expect: { administrator: [200, 200], funder: [200, 404] } },
      { name: 'sroi', path: (own) => `/v1/reports/companies/${own ? company : otherCompany}/sroi?${q}`, expect: { administrator: [200, 200], funder: [200, 404] } },
      { name: 'evidence', path: (own) => `/v1/reports/companies/${own ? company : otherCompany}/evidence?${q}&outcome=employment`, expect: { administrator: [200, 200], funder: [200, 404] } },
      { name: 'platform', path: () => '/v1/reports/platform', expect: { administrator: [200, 200] } },
      { name: 'cohort', path: (own) => `/v1/reports/cohorts/${own ? cohort.id : foreignCohort.id}`, expect: { administrator: [200, 200], institution_admin: [200, 404], funder: [200, 404] } },
      { name: 'funnel', path: () => '/v1/reports/funnel', expect: { administrator: [200, 200], funder: [200, 200], recruiter: [200, 200] } },
    ];
    const orgOf = (role: Role, endpoint: string) => (endpoint === 'cohort' ? (role === 'funder' ? cohort.sponsor_id : cohort.institution_id) : company);
    const mismatches: string[] = [];
    let cells = 0;
    for (const endpoint of endpoints) {
      for (const role of [...ROLES, 'none'] as const) {
        const token = role === 'none' ? undefined : await tokenFor([role], role === 'administrator' ? undefined : orgOf(role, endpoint.name));
        const [own, foreign] = role === 'none' ? [401, 401] : endpoint.expect[role] ?? [403, 403];
        for (const [isOwn, status] of [[true, own], [false, foreign]] as const) {
          cells++;
          const response = await get(endpoint.path(isOwn), token);
          if (response.status !== status) mismatches.push(`${endpoint.name} as ${role} (${isOwn ? 'own' : 'foreign'}): expected ${status}, got ${response.status} ${response.text.slice(0, 160)}`);
          if (response.status >= 400 && typeof response.body?.error?.code !== 'string') mismatches.push(`${endpoint.name} as ${role}: error without a code`);
        }
      }
    }
    expect(mismatches, mismatches.join('\n')).to.deep.equal([]);
    expect(cells).to.equal(endpoints.length * (ROLES.length + 1) * 2);
  });

  it('takes cohort demographics again only after five more enrolments, so no two days tell one person\'s', async () => {
    expect(snapshotDays([{ day: '2026-01-01', n: 3 }, { day: '2026-01-02', n: 1 }, { day: '2026-01-03', n: 1 }, { day: '2026-01-04', n: 4 }, { day: '2026-01-05', n: 1 }]))
      .to.deep.equal(['2026-01-01', '2026-01-04']);
    expect(snapshotDays([])).to.deep.equal([]);
    // Found by a review: one student enrols ten days after the others; subtracting the day
    // before from the day of the enrolment gave that student's gender, race and age band.
    const cohort = await db('cohort_enrollments').groupBy('cohort_id').orderByRaw('count(*) desc').first('cohort_id', db.raw('max(created_at) AS last'));
    const meta = await db('cohorts').where({ id: cohort.cohort_id }).first('institution_id');
    const last = new Date(cohort.last);
    const day = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), last.getUTCDate() + 10, 10));
    expect(day.getTime()).to.be.lessThan(REPORTS_AS_OF.getTime());
    const template = await db('cohort_enrollments').where({ cohort_id: cohort.cohort_id }).first('student_data');
    const [user] = await db('users').insert({ email: `late-${Math.random().toString(36).slice(2)}@example.org`, first_name: 'Late', last_name: 'Student', user_type: 'STUDENT' }).returning('id');
    const [late] = await db('cohort_enrollments').insert({ cohort_id: cohort.cohort_id, user_id: user.id, state: 'waiting', document_verification_state: 'pending', student_data: JSON.stringify(template.student_data), created_at: day, updated_at: day }).returning('id');
    const rerun = () => world.rerunMetrics();
    try {
      await rerun();
      const institution = await tokenFor(['institution_admin'], meta.institution_id);
      const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
      const series = await get(`/v1/reports/cohorts/${cohort.cohort_id}?from=${iso(day.getTime() - 86_400_000)}&to=${iso(day.getTime() + 86_400_000)}`, institution);
      expect(series.status, series.text).to.equal(200);
      const [before, after] = series.body.rows as Array<{ metric_date: string; enrolled: number; demographics: unknown }>;
      expect(after!.metric_date).to.equal(iso(day.getTime()));
      expect(after!.enrolled - before!.enrolled, 'one more enrolled that day').to.equal(1);
      expect(after!.demographics, 'the day of one enrolment shows the same demographics as the day before').to.deep.equal(before!.demographics);
    } finally {
      await db('cohort_enrollments').where({ id: late.id }).delete();
      await db('users').where({ id: user.id }).delete();
      await rerun();
    }
  });
});
