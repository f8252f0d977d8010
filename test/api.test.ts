/**
 * The API's edge: health, metrics, OpenAPI, bearer tokens (missing, malformed, altered,
 * expired, for a user who is gone), per-token rate limits, and JSON errors with stable codes.
 */
import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { harness } from './harness.js';
import { createApi } from '../src/api/app.js';
import { createDb } from '../src/db/knex.js';
import { OpenSearchBackend } from '../src/search/opensearch.js';
import type { SearchBackend } from '../src/search/backend.js';
import { signToken, verifyToken } from '../src/api/tokens.js';
import { createRateLimiter, RateLimitedError } from '../src/api/rate-limit.js';
import { slotNameFor } from '../src/db/slot.js';

const SECRET = 'test-secret-that-is-long-enough-for-hmac-0123456789';

describe('bearer tokens', () => {
  it('round-trip their claims and refuse altered, foreign and expired tokens', () => {
    const [user, org] = ['0f000000-0000-4000-8000-0000000000a1', '0f000000-0000-4000-8000-0000000000b2'];
    const token = signToken({ sub: user, org, roles: ['recruiter'] }, SECRET, 1_000_000);
    expect(verifyToken(token, SECRET, 1_000_000)).to.include({ sub: user, org });
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), roles: ['administrator'] })).toString('base64url');
    expect(() => verifyToken(`${h}.${forged}.${s}`, SECRET, 1_000_000)).to.throw().with.property('code', 'token_invalid');
    expect(() => verifyToken(token, 'another-secret-another-secret-another', 1_000_000)).to.throw().with.property('code', 'token_invalid');
    expect(() => verifyToken(token, SECRET, 1_000_000 + 13 * 3600_000)).to.throw().with.property('code', 'token_expired');
    expect(() => verifyToken('not-a-token', SECRET)).to.throw().with.property('code', 'token_malformed');
  });

  it('refuses a correctly signed token whose claims are not ids, or not there (401, not a 500 further on)', () => {
    const signed = (payload: unknown) => {
      const head = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return `${head}.${createHmac('sha256', SECRET).update(head).digest('base64url')}`;
    };
    const exp = 2_000_000_000;
    for (const payload of [null, [], 'text', { sub: 'not-a-uuid', roles: ['recruiter'], exp }, { sub: '0f000000-0000-4000-8000-0000000000a1', org: 'zzz', roles: ['recruiter'], exp }, { sub: '0f000000-0000-4000-8000-0000000000a1', roles: ['recruiter'], exp: 'never' }]) {
      expect(() => verifyToken(signed(payload), SECRET), JSON.stringify(payload)).to.throw().with.property('code', 'token_malformed');
    }
  });
});

describe('rate limiter', () => {
  it('lets a burst through, refuses the next with Retry-After, and refills', () => {
    let now = 0;
    const limiter = createRateLimiter(60, () => now);
    for (let i = 0; i < 60; i++) limiter.take('a');
    try {
      limiter.take('a');
      expect.fail('the 61st request in the same instant was allowed');
    } catch (error) {
      expect(error).to.be.instanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterSeconds).to.equal(1);
    }
    limiter.take('b');
    now += 1000;
    limiter.take('a');
  });
});

describe('API edge', () => {
  let server: Server;
  let base: string;
  let userId: string;
  let orgId: string;
  let search: SearchBackend;

  before(async () => {
    const { db, config, log } = harness();
    const [org] = await db('organizations').insert({ name: `API Test Org ${harness().runId}`, type: 'csr_company' }).returning('id');
    const [user] = await db('users').insert({ email: `api-${harness().runId}@example.org`, first_name: 'Ngozi', last_name: 'Eze', user_type: 'COMPANY_USER', preferred_language: 'fr' }).returning('id');
    orgId = org.id;
    userId = user.id;
    search = new OpenSearchBackend(config.search.url);
    const app = createApi({ config: { ...config, api: { ...config.api, rateLimitPerMinute: 5 } }, db, search, log, authSecret: SECRET });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await search.close();
  });

  const get = (path: string, token?: string) => fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('reports health of Postgres, the search engine and the replication slot', async () => {
    const response = await get('/health');
    expect(response.status).to.equal(200);
    const body = await response.json();
    expect(body.status).to.equal('ok');
    expect(body).to.have.keys(['status', 'postgres', 'search', 'replication']);
  });

  it('says which health check fails without the driver\'s text, which only the log gets', async () => {
    const { config, log } = harness();
    const deadDb = createDb(config, log, { url: 'postgres://meridian:meridian@127.0.0.1:9/nowhere' });
    const app = createApi({ config: { ...config, search: { ...config.search, url: 'http://127.0.0.1:9' } }, db: deadDb, search, log, authSecret: SECRET });
    const down = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => down.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(down.address() as AddressInfo).port}/health`);
      const body = await response.json() as Record<string, { ok: boolean; error?: string }>;
      expect(response.status).to.equal(503);
      for (const check of ['postgres', 'search', 'replication']) {
        expect(body[check]!.ok, check).to.equal(false);
        expect(body[check]!.error, check).to.be.a('string').and.not.match(/ECONNREFUSED|127\.0\.0\.1|:9\b|nowhere/);
      }
    } finally {
      await new Promise((resolve) => down.close(resolve));
      await deadDb.destroy();
    }
  });

  it('documents in OpenAPI every route it serves, and serves every route it documents', async () => {
    const { db, config, log } = harness();
    const app = createApi({ config, db, search, log, authSecret: SECRET });
    // The dashboard's static files are pages, not API.
    const served = app.routes().filter((route) => !route.includes(' /dashboards'));
    const doc = await (await get('/v1/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, operations]) => Object.keys(operations).filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key)).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(served.length).to.be.greaterThan(30);
    expect(served.filter((route) => !documented.includes(route)), 'served, not documented').to.deep.equal([]);
    expect(documented.filter((route) => !served.includes(route)), 'documented, not served').to.deep.equal([]);
  });

  it('serves its OpenAPI document without a token', async () => {
    const response = await get('/v1/openapi.json');
    expect(response.status).to.equal(200);
    const doc = await response.json();
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.paths).to.have.property('/v1/me');
  });

  it('refuses /v1 without a token, with a stable code and WWW-Authenticate', async () => {
    const response = await get('/v1/me');
    expect(response.status).to.equal(401);
    // RFC 6750 §3: no credentials, no error code; a bad token is invalid_token, whatever is wrong with it.
    expect(response.headers.get('www-authenticate')).to.equal('Bearer realm="meridian"');
    const body = await response.json();
    expect(body.error.code).to.equal('unauthenticated');
    expect(body.error.requestId).to.be.a('string');
    const valid = signToken({ sub: userId, roles: ['funder'] }, SECRET);
    const tokens = {
      token_expired: signToken({ sub: userId, roles: ['funder'], ttlSeconds: -60 }, SECRET),
      token_invalid: `${valid.slice(0, valid.lastIndexOf('.'))}.${'A'.repeat(43)}`,
      token_malformed: 'not-a-jwt',
    };
    for (const [code, token] of Object.entries(tokens)) {
      const refused = await get('/v1/me', token);
      expect(refused.status, code).to.equal(401);
      expect((await refused.json()).error.code).to.equal(code);
      expect(refused.headers.get('www-authenticate'), code).to.match(/^Bearer realm="meridian", error="invalid_token", error_description="[^"]+"$/);
    }
  });

  it('says who a valid token speaks for', async () => {
    const response = await get('/v1/me', signToken({ sub: userId, org: orgId, roles: ['funder'] }, SECRET));
    expect(response.status).to.equal(200);
    const body = await response.json();
    expect(body.user).to.include({ id: userId, first_name: 'Ngozi', preferred_language: 'fr' });
    expect(body.organization).to.include({ id: orgId, type: 'csr_company' });
    expect(body.roles).to.deep.equal(['funder']);
  });

  it('answers 404 with a code for a token whose user is gone, and for an unknown route', async () => {
    const gone = await get('/v1/me', signToken({ sub: '00000000-0000-4000-8000-000000000000', roles: ['beneficiary'] }, SECRET));
    expect(gone.status).to.equal(404);
    expect((await gone.json()).error.code).to.equal('user_not_found');
    const unknown = await get('/nowhere');
    expect(unknown.status).to.equal(404);
    expect((await unknown.json()).error.code).to.equal('route_not_found');
  });

  it('limits each token to its rate and says when to retry', async () => {
    const token = signToken({ sub: userId, roles: ['funder'] }, SECRET);
    const other = signToken({ sub: '11111111-1111-4111-8111-111111111111', roles: ['funder'] }, SECRET);
    // The limit is 5 a minute; the earlier test already spent one of this user's.
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get('/v1/me', token)).status);
    expect(statuses).to.include(429);
    const limited = await get('/v1/me', token);
    expect(limited.status).to.equal(429);
    expect(Number(limited.headers.get('retry-after'))).to.be.greaterThanOrEqual(1);
    expect((await limited.json()).error.code).to.equal('rate_limited');
    expect((await get('/v1/me', other)).status, 'another token has its own bucket').to.equal(404);
  });

  it('exports request counts and latencies as Prometheus text', async () => {
    const response = await get('/metrics');
    expect(response.status).to.equal(200);
    const text = await response.text();
    expect(text).to.match(/meridian_http_requests_total\{method="GET",route="\/v1\/me",status="200"\} \d+/);
    expect(text).to.match(/meridian_http_requests_total\{method="GET",route="\/v1\/me",status="429"\} \d+/);
    expect(text).to.include('meridian_http_request_duration_seconds_bucket');
  });

  it('exports the indexer\'s counters as it last saved them, each metric described once', async () => {
    const { db, config } = harness();
    const slot = slotNameFor(config.database.url);
    await db('search_indexer_stats').insert({ slot_name: slot, started_at: new Date(), saved_at: new Date(), indexed: 12, deleted: 3, stale: 0, dead_lettered: 1, unchanged: 40, covered: 7 }).onConflict('slot_name').merge();
    try {
      const text = await (await get('/metrics')).text();
      expect(text).to.include(`meridian_indexer_documents_total{slot="${slot}",outcome="indexed"} 12`);
      expect(text).to.include(`meridian_indexer_documents_total{slot="${slot}",outcome="unchanged"} 40`);
      expect(text).to.include(`meridian_indexer_documents_total{slot="${slot}",outcome="dead_lettered"} 1`);
      expect(text.match(/^# TYPE meridian_indexer_documents_total counter$/gm)).to.have.length(1);
      for (const name of new Set([...text.matchAll(/^# HELP (\S+)/gm)].map((m) => m[1]))) {
        expect(text.match(new RegExp(`^# HELP ${name} `, 'gm')), name).to.have.length(1);
      }
    } finally {
      await db('search_indexer_stats').where({ slot_name: slot }).delete();
    }
  });
});
