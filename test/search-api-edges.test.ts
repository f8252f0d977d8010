/**
 * The search API at its edges, each found by a review and reproduced before it was fixed:
 * paging past opportunities without a deadline, cursors altered by hand, engine failures,
 * the opportunity a profile is viewed for, text Postgres cannot store, the search log under
 * a bad row and during its write, a stored search deleted while it runs, duplicate matches
 * in a run, methods a route does not have, and organisations that are no longer active.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { searchWorld, type SearchWorld } from './search-world.js';
import { harness } from './harness.js';
import { OpenSearchBackend } from '../src/search/opensearch.js';
import { createSearchLog, type SearchLogEntry } from '../src/api/search-log.js';
import { allMatches } from '../src/api/routes/stored-searches.js';

async function allPages(world: SearchWorld, path: string, token: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const response = await world.get(`${path}${path.includes('?') ? '&' : '?'}size=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    expect(response.status, `${path} after ${ids.length}: ${JSON.stringify(response.body)}`).to.equal(200);
    ids.push(...response.body.results.map((r: { id: string }) => r.id));
    cursor = response.body.nextCursor;
  } while (cursor);
  return ids;
}

describe('search API edges', function () {
  this.timeout(300_000);
  let world: SearchWorld;
  let admin: string;
  let org: string;
  let recruiter: string;

  before(async () => {
    world = await searchWorld();
    org = (await world.db('organizations').where({ type: 'employer', status: 'active' }).orderBy('id').offset(5).first('id')).id;
    admin = world.token({ sub: await world.member(org), roles: ['administrator'] });
    recruiter = world.token({ sub: await world.member(org), org, roles: ['recruiter'] });
  });

  it('pages past opportunities without a deadline, each once and last', async () => {
    // The engine stood in Long.MAX_VALUE for a missing date, which a JSON number cannot hold:
    // the cursor after the first undated hit was refused, a 503 halfway through the pages.
    const opportunities: Array<{ id: string; application_deadline: Date | null }> = await world.db('opportunities')
      .where({ status: 'active' }).whereNotNull('published_at').whereNotNull('application_deadline').orderBy('id').limit(25).select('id', 'application_deadline');
    expect(opportunities.length).to.equal(25);
    try {
      await world.db('opportunities').whereIn('id', opportunities.map((o) => o.id)).update({ application_deadline: null });
      await world.reindexRows('opportunities', opportunities.map((o) => o.id));
      const ids = await allPages(world, '/v1/opportunities/search?sort=deadline', admin);
      const total = (await world.get('/v1/opportunities/search?sort=deadline&size=1', admin)).body.total;
      expect(ids.length, 'every hit').to.equal(total);
      expect(new Set(ids).size, 'each once').to.equal(total);
      const undated = await world.db('opportunities').whereIn('id', ids).whereNull('application_deadline').pluck('id');
      expect(undated, 'ours among the undated').to.include.members(opportunities.map((o) => o.id));
      expect(ids.slice(-undated.length), 'the undated last').to.have.members(undated);
    } finally {
      for (const o of opportunities) await world.db('opportunities').where({ id: o.id }).update({ application_deadline: o.application_deadline });
      await world.reindexRows('opportunities', opportunities.map((o) => o.id));
    }
  });

  it('answers a cursor altered by hand with 400 cursor_invalid, never the engine\'s text', async () => {
    const first = await world.get('/v1/candidates/search?country=CM&size=5', admin);
    const issued = JSON.parse(Buffer.from(first.body.nextCursor, 'base64url').toString('utf8')) as { a: unknown[]; f: string };
    for (const a of [['x', 'y'], [1], [null, null], [1, 2, 3], [1, {}]]) {
      const cursor = Buffer.from(JSON.stringify({ a, f: issued.f })).toString('base64url');
      const response = await world.get(`/v1/candidates/search?country=CM&size=5&cursor=${cursor}`, admin);
      expect(response.status, `${JSON.stringify(a)}: ${JSON.stringify(response.body)}`).to.equal(400);
      expect(response.body.error).to.include({ code: 'cursor_invalid' });
      expect(JSON.stringify(response.body)).to.not.match(/exception|_v\d+_|search_after/i);
    }
  });

  it('says the engine is unavailable without naming its host, port or error', async () => {
    const down = await world.apiWith(new OpenSearchBackend('http://127.0.0.1:9'));
    try {
      const response = await fetch(`${down.base}/v1/candidates/search?q=driver`, { headers: { authorization: `Bearer ${admin}` } });
      const body = await response.json() as { error: { code: string; message: string } };
      expect(response.status).to.equal(503);
      expect(body.error.code).to.equal('search_unavailable');
      expect(body.error.message).to.not.match(/127\.0\.0\.1|:9\b|ECONNREFUSED|OpenSearch/);
    } finally {
      await down.close();
    }
  });

  it('logs a profile view for one of the caller\'s own opportunities, and 404s any other', async () => {
    const { rows: [{ id: own, organization_id: owner }] } = await world.db.raw(`
      SELECT o.id, o.organization_id FROM opportunities o JOIN organizations g ON g.id = o.organization_id
      WHERE g.status = 'active' ORDER BY o.id LIMIT 1`);
    const token = world.token({ sub: await world.member(owner), org: owner, roles: ['recruiter'] });
    const candidate = (await world.get('/v1/candidates/search?size=1', token)).body.results[0].id as string;
    const foreign = (await world.db('opportunities').whereNot({ organization_id: owner }).first('id')).id as string;
    for (const opportunity of [randomUUID(), foreign]) {
      const response = await world.get(`/v1/candidates/${candidate}?opportunity=${opportunity}`, token);
      expect(response.status, JSON.stringify(response.body)).to.equal(404);
      expect(response.body.error.code).to.equal('opportunity_not_found');
    }
    expect(await world.db('profile_views').where({ candidate_id: candidate, opportunity_id: foreign }).first()).to.equal(undefined);
    expect((await world.get(`/v1/candidates/${candidate}?opportunity=${own}`, token)).status).to.equal(200);
    expect(await world.db('profile_views').where({ candidate_id: candidate, opportunity_id: own }).first()).to.not.equal(undefined);
  });

  it('does not reveal a colleague\'s private talent pool through its name', async () => {
    const colleague = world.token({ sub: await world.member(org), org, roles: ['recruiter'] });
    const name = `Quiet shortlist ${randomUUID()}`;
    expect((await world.send('POST', '/v1/talent-pools', colleague, { name, query: { country: 'CM' } })).status).to.equal(201);
    // Private or shared, the same name is free for the caller: the colleague's pool is invisible.
    expect((await world.send('POST', '/v1/talent-pools', recruiter, { name, query: {} })).status).to.equal(201);
    expect((await world.send('POST', '/v1/talent-pools', recruiter, { name, visibility: 'organization', query: {} })).status).to.equal(201);
    // Clashes remain, with pools the caller can see: their own private one, the shared one.
    const own = await world.send('POST', '/v1/talent-pools', recruiter, { name, query: {} });
    expect([own.status, own.body.error.code]).to.deep.equal([409, 'name_taken']);
    const shared = await world.send('POST', '/v1/talent-pools', colleague, { name, visibility: 'organization', query: {} });
    expect([shared.status, shared.body.error.code]).to.deep.equal([409, 'name_taken']);
  });

  it('refuses names and stored queries Postgres cannot store (NUL, half a surrogate pair) with a 400', async () => {
    const cases: Array<[string, string, string]> = [
      ['/v1/talent-pools', '{"name":"a\\u0000b","query":{}}', 'invalid_body'],
      ['/v1/talent-pools', '{"name":"x\\ud800","query":{}}', 'invalid_body'],
      ['/v1/saved-searches', '{"name":"fine","audience":"candidates","query":{"q":"x\\ud800"}}', 'invalid_query'],
      ['/v1/saved-searches', '{"name":"a\\u0000","audience":"candidates","query":{}}', 'invalid_body'],
    ];
    for (const [path, body, code] of cases) {
      const response = await world.send('POST', path, recruiter, body);
      expect(response.status, `${path} ${body}: ${JSON.stringify(response.body)}`).to.equal(400);
      expect(response.body.error.code).to.equal(code);
    }
  });

  it('keeps a log batch\'s good rows when one is bad, and counts a batch being written as pending', async () => {
    const user = (await world.db('users').first('id')).id as string;
    const entry = (text: string): SearchLogEntry => ({ id: randomUUID(), userId: user, organizationId: null, audience: 'candidates', text, filters: {}, resultsCount: 1, durationMs: 1, at: new Date() });
    const searchLog = createSearchLog(world.db, harness().log);
    const [good, bad, alsoGood] = [entry('fine'), entry('nul \u0000 inside'), entry('also fine')];
    for (const e of [good, bad, alsoGood]) searchLog.record(e);
    const writing = searchLog.flush();
    // Out of the queue, not in the table yet: a click on it must wait for the write.
    expect(searchLog.isPending(good.id)).to.equal(true);
    await writing;
    expect(searchLog.isPending(good.id)).to.equal(false);
    const stored = await world.db('search_queries').whereIn('id', [good.id, bad.id, alsoGood.id]).pluck('id');
    expect(stored).to.have.members([good.id, alsoGood.id]);
  });

  it('answers 404, not 500, when a saved search is deleted while it runs', async () => {
    const created = await world.send('POST', '/v1/saved-searches', recruiter, { name: `Deleted mid-run ${randomUUID()}`, audience: 'candidates', query: { country: 'CM' } });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const id = created.body.id as string;
    const deleting = await world.db.transaction();
    try {
      await deleting('saved_searches').where({ id }).delete();
      // The run reads the row (the delete is not committed), searches, then waits on its lock.
      const running = world.send('POST', `/v1/saved-searches/${id}/run`, recruiter);
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const { rows } = await world.db.raw(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`);
        if (rows[0].n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await deleting.commit();
      const response = await running;
      expect(response.status, JSON.stringify(response.body)).to.equal(404);
      expect(response.body.error.code).to.equal('saved_search_not_found');
    } finally {
      if (!deleting.isCompleted()) await deleting.rollback();
    }
  });

  it('counts a match once in a run though a change moves it to a later page', async () => {
    const pages = [
      { results: [{ id: 'a' }, { id: 'b' }], total: 4, nextCursor: 'p2' },
      { results: [{ id: 'b' }, { id: 'c' }], total: 4, nextCursor: 'p3' },
      { results: [{ id: 'd' }], total: 4, nextCursor: null },
    ];
    let n = 0;
    const run = await allMatches(async () => ({ searchId: 'x', facets: {}, tookMs: 1, ...pages[n++]! }));
    expect(run.results.map((r) => r.id)).to.deep.equal(['a', 'b', 'c', 'd']);
  });

  it('answers a method a route does not have with JSON: 405 with Allow, 501 for an unknown method', async () => {
    const put = await fetch(`${world.base}/v1/candidates/search`, { method: 'PUT', headers: { authorization: `Bearer ${recruiter}` } });
    expect(put.status).to.equal(405);
    expect(put.headers.get('allow')).to.match(/GET/);
    expect(((await put.json()) as { error: { code: string } }).error.code).to.equal('method_not_allowed');
    const odd = await fetch(`${world.base}/v1/candidates/search`, { method: 'PROPFIND' });
    expect(odd.status).to.equal(501);
    expect(((await odd.json()) as { error: { code: string } }).error.code).to.equal('method_not_implemented');
  });

  it('turns away the recruiters of an organisation that is no longer active', async () => {
    const inactive = (await world.db('organizations').whereNot({ status: 'active' }).first('id'))?.id as string | undefined;
    const [target] = inactive ? [inactive] : await world.db('organizations').insert({ name: `Closed ${randomUUID()}`, type: 'employer', status: 'inactive' }).returning('id').then((rows) => rows.map((r: { id: string }) => r.id));
    const token = world.token({ sub: await world.member(target!), org: target, roles: ['recruiter'] });
    const response = await world.get('/v1/candidates/search', token);
    expect(response.status).to.equal(403);
    expect(response.body.error.code).to.equal('organization_not_active');
  });

  it('keeps an opportunity open through its deadline day (UTC), and closes it at the next', async () => {
    // Search used to close it at the first instant of that day (how the engine reads a date),
    // while skill gaps and stored recommendations kept it open through the day.
    const o = await world.db('opportunities').where({ status: 'active', is_for_vulnerable: false }).where('published_at', '<', '2026-10-01')
      .whereRaw('cardinality(eligible_categories) = 0').orderBy('id').first('id', 'application_deadline');
    const token = world.token({ sub: await world.beneficiary(null), roles: ['beneficiary'] });
    const other = new OpenSearchBackend(harness().config.search.url);
    const seen = async (now: string) => {
      const api = await world.apiWith(other, { now: new Date(now) });
      try {
        const get = async (path: string) => fetch(`${api.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
        const page = (await get(`/v1/opportunities/${o.id}`)).status;
        const listed = ((await (await get('/v1/opportunities/search?deadline_after=2026-11-01&deadline_before=2026-11-01&size=50')).json()) as { results: Array<{ id: string }> }).results.map((r) => r.id);
        return { page, listed: listed.includes(o.id) };
      } finally {
        await api.close();
      }
    };
    await world.db('opportunities').where({ id: o.id }).update({ application_deadline: '2026-11-01' });
    await world.reindexRows('opportunities', [o.id]);
    try {
      expect(await seen('2026-11-01T00:00:00Z'), 'as its last day begins').to.deep.equal({ page: 200, listed: true });
      expect(await seen('2026-11-01T23:59:59Z'), 'as its last day ends').to.deep.equal({ page: 200, listed: true });
      expect(await seen('2026-11-02T00:00:00Z'), 'the day after').to.deep.equal({ page: 404, listed: false });
    } finally {
      await world.db('opportunities').where({ id: o.id }).update({ application_deadline: o.application_deadline });
      await world.reindexRows('opportunities', [o.id]);
      await other.close();
    }
  });
});
