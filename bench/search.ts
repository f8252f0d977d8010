/**
 * `npm run bench -- search [--candidates N] [--queries Q] [--reuse] [--parts]`: recruiter candidate
 * search through the API against the same engine requests sent straight to OpenSearch, in
 * one run, at concurrency 1, 8 and 32.
 *
 * - Loads N demo candidates (default 100,000) into a fresh database and builds the index with
 *   the indexer's backfill (`--reuse` keeps a database and index from an earlier run of the
 *   same N, since a million candidates take ~15 minutes to load and index; an index built
 *   with an older mapping version is rebuilt from the kept database).
 * - The API runs as its own process (`meridian api`), as in production.
 * - The mix: realistic recruiter searches — text (a skill or job title, in English or
 *   French, sometimes misspelt) in 80% of them, 2–4 filters, 8 facets, 20 results — by
 *   recruiters of several organisations (so privacy scoping is part of every request).
 * - For the engine side, the bench builds each request with the API's own query builder and
 *   the same viewer, and times the HTTP round trip to OpenSearch; the API side is timed the
 *   same way (client-side, keep-alive HTTP). Each level sends its searches four times —
 *   through the API, straight, straight, through the API — and pools each side's two runs, so
 *   neither side always meets the caches the other warmed. Before the first level the API serves
 *   4,000 warm-up searches (a fresh Node process gets cheaper over its first few thousand).
 * Prints one JSON line per concurrency; `--parts` adds what highlighting and facets cost the
 * engine (see measureParts).
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'node:http';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { servicesUp } from '../src/local/services.js';
import { createDb } from '../src/db/knex.js';
import { loadDemo } from '../src/db/seed/load.js';
import { OpenSearchBackend } from '../src/search/opensearch.js';
import { aliasName, mappingVersionOf, MAPPING_VERSIONS } from '../src/search/indices.js';
import { reindex } from '../indexers/backfill.js';
import { Random } from '../src/domain/random.js';
import { signToken } from '../src/api/tokens.js';
import { createViewers } from '../src/api/viewers.js';
import { createTaxonomyCache } from '../src/api/taxonomy-cache.js';
import { readCandidateSearch } from '../src/api/search-params.js';
import { candidateSearchRequests } from '../src/search/candidate-query.js';
import { deleteIndicesWithPrefix } from '../src/search/admin.js';
import { cpuMs, machine, OPENSEARCH_PROCESS } from './machine.js';
import { freshDatabase, keptWorldRows, withDatabase } from './database.js';

const phase = (name: string) => process.stderr.write(`search: ${new Date().toISOString().slice(11, 19)} ${name}\n`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const SECRET = 'bench-search-secret-0123456789-0123456789';
const FACETS = 'skills,country,region,education_level,languages,verification,category,experience';
const CONCURRENCY = [1, 8, 32];
/** Warm-up: searches per pass (the mix drawn first, so the measured searches stay those of earlier runs), and passes through the API before anything is measured (see below). */
const WARMUP_PASS = 200;
const API_WARMUP_PASSES = 20;
/** How the OpenSearch node this project starts shows in its command line (for CPU accounting). */
const ENGINE_PROCESS = OPENSEARCH_PROCESS;

interface Query {
  /** The API query string. */
  path: string;
  token: string;
  /** The same search, as the engine receives it from the API: one request, or several sent as one _msearch. */
  engine: EngineRequests;
}

type EngineBody = Record<string, unknown>;
type EngineRequests = EngineBody[];

/** The HTTP request the API's backend makes for `requests` (see OpenSearchBackend.multiSearch). */
function engineHttp(alias: string, requests: EngineRequests): { path: string; contentType: string; body: string } {
  return requests.length === 1
    ? { path: `/${alias}/_search`, contentType: 'application/json', body: JSON.stringify(requests[0]) }
    : { path: `/${alias}/_msearch`, contentType: 'application/x-ndjson', body: requests.map((body) => `{}\n${JSON.stringify(body)}\n`).join('') };
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP request on a keep-alive socket; resolves with the status once the body is read. */
function send(url: URL, method: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: { ...headers, ...(body ? { 'content-length': Buffer.byteLength(body).toString() } : {}) } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

async function timed(queries: Query[], concurrency: number, one: (q: Query) => Promise<number>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < queries.length) {
      const query = queries[next++]!;
      const t0 = performance.now();
      const status = await one(query);
      latencies.push(performance.now() - t0);
      if (status !== 200) throw new Error(`status ${status} for ${query.path}`);
    }
  }));
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

export async function benchSearch(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { candidates: { type: 'string', default: '100000' }, queries: { type: 'string', default: '1000' }, reuse: { type: 'boolean', default: false }, parts: { type: 'boolean', default: false } } });
  const candidates = Number(values.candidates);
  const perLevel = Number(values.queries);
  const base = loadConfig();
  const log = createLogger('warn');
  await servicesUp(base, log);
  const name = `meridian_bench_search_${candidates}`;
  const prefix = `bench_search_${candidates}_`;
  const search = new OpenSearchBackend(base.search.url);
  const alias = aliasName(prefix, 'candidates');
  const databaseUrl = withDatabase(base.database.url, name);

  const keptWorld = values.reuse && (await keptWorldRows(base, log, databaseUrl, 'candidates')) >= candidates;
  // An index built with an older mapping would measure the old mapping: rebuild it from the kept world.
  const keptIndex = keptWorld && (await search.aliasTargets(alias)).some((index) => mappingVersionOf(index) === MAPPING_VERSIONS.candidates);
  if (!keptIndex) {
    await deleteIndicesWithPrefix(base.search.url, prefix);
    if (!keptWorld) {
      const { release } = await freshDatabase(base, log, name);
      await release();
      phase(`loading ${candidates.toLocaleString()} candidates`);
      await loadDemo(databaseUrl, { seed: 5, candidates, asOf: new Date('2026-11-01T00:00:00Z') });
    }
    phase('building the candidates index');
    const db = createDb(base, log, { url: databaseUrl, poolMax: 10 });
    await reindex({ db, search, log, prefix }, 'candidates', (done) => {
      if (done % 50_000 < 1000) phase(`  ${done.toLocaleString()} documents`);
    });
    await db.destroy();
  }
  await search.refresh(alias);
  const documents = await search.count(alias);

  phase('preparing the query mix');
  const db = createDb(base, log, { url: databaseUrl, poolMax: 4 });
  const viewers = createViewers(db);
  const taxonomy = await createTaxonomyCache(db, log).get();
  const skills: Array<{ slug: string; label: string; label_fr: string | null }> = (await db.raw(`
    SELECT s.slug, s.skill_name AS label, s.skill_name_fr AS label_fr FROM skills s
    WHERE EXISTS (SELECT 1 FROM candidate_skills cs WHERE cs.skill_id = s.id) ORDER BY s.slug`)).rows;
  const titles: string[] = (await db.raw(`SELECT DISTINCT current_title AS t FROM candidates WHERE current_title IS NOT NULL ORDER BY 1 LIMIT 300`)).rows.map((r: { t: string }) => r.t);
  const cities: Array<{ lat: number; lon: number; country: string }> = (await db.raw(`SELECT latitude::float AS lat, longitude::float AS lon, country FROM locations WHERE latitude IS NOT NULL ORDER BY id`)).rows;
  const languages: string[] = (await db.raw(`SELECT language_code AS l FROM candidate_languages GROUP BY 1 ORDER BY count(*) DESC LIMIT 6`)).rows.map((r: { l: string }) => r.l);
  const orgs: string[] = (await db.raw(`SELECT organization_id AS id FROM organization_members WHERE can_search AND status = 'active' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 8`)).rows.map((r: { id: string }) => r.id);
  const recruiters = await Promise.all(orgs.map(async (org) => {
    const member = await db('organization_members').where({ organization_id: org, can_search: true, status: 'active' }).orderBy('user_id').first('user_id');
    const claims = { sub: member.user_id as string, org, roles: ['recruiter' as const] };
    return { token: signToken(claims, SECRET, Date.now()), viewer: await viewers.candidateViewer({ ...claims, iat: 0, exp: 0 }) };
  }));

  const r = new Random(20261124);
  const misspell = (word: string) => (word.length > 5 ? word.slice(0, 2) + word.slice(3) : word);
  const makeQuery = (): Query => {
    const q = new URLSearchParams();
    if (r.chance(0.8)) {
      const skill = r.pick(skills);
      const text = r.weighted(['skill', 'fr', 'title', 'typo'], [4, 1, 3, 1]);
      q.set('q', text === 'skill' ? skill.label : text === 'fr' ? skill.label_fr ?? skill.label : text === 'title' ? r.pick(titles) : misspell(skill.label));
    }
    const filters: Array<() => void> = [
      () => q.set('skills', r.sample(skills, r.int(1, 2)).map((s) => s.slug).join(',')),
      () => q.set('country', r.pick(cities).country),
      () => { const c = r.pick(cities); q.set('near', `${c.lat},${c.lon}`); q.set('radius_km', String(r.pick([25, 50, 100, 250]))); },
      () => q.set('education_min', r.pick(['SECONDARY', 'VOCATIONAL', 'UNDERGRADUATE'])),
      () => q.set('experience_min', String(r.int(1, 8))),
      () => q.set('languages', r.chance(0.5) ? `${r.pick(languages)}:B1` : r.pick(languages)),
      () => q.set('open_to_opportunities', 'true'),
      () => q.set('notice_max_days', String(r.pick([14, 30, 60]))),
      () => q.set('verification', 'basic,full,premium'),
    ];
    for (const set of r.sample(filters, r.int(2, 4))) set();
    q.set('facets', FACETS);
    q.set('size', '20');
    const recruiter = r.pick(recruiters);
    const { params } = readCandidateSearch(Object.fromEntries(q));
    const requests = candidateSearchRequests(params, recruiter.viewer, taxonomy);
    return { path: `/v1/candidates/search?${q}`, token: recruiter.token, engine: requests };
  };
  const warmup = Array.from({ length: WARMUP_PASS }, makeQuery);
  const levels = CONCURRENCY.map(() => Array.from({ length: perLevel }, makeQuery));
  await db.destroy();

  phase('starting the API');
  const port = 18000 + (process.pid % 1000);
  const env = { ...process.env, DATABASE_URL: databaseUrl, INDEX_PREFIX: prefix, API_PORT: String(port), AUTH_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'info' };
  // The API logs every request, as in production; to a file, so the figures stay readable.
  const apiLog = openSync(path.join(base.home, 'bench-search-api.log'), 'w');
  const api = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/meridian.js'), 'api'], { env, stdio: ['ignore', apiLog, apiLog] });
  const apiUrl = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (await send(new URL(`${apiUrl}/v1/openapi.json`), 'GET', {}).catch(() => 0) === 200) break;
      if (i > 300) throw new Error('the API did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const viaApi = (q: Query) => send(new URL(apiUrl + q.path), 'GET', { authorization: `Bearer ${q.token}` });
    const direct = (q: Query) => {
      const http = engineHttp(alias, q.engine);
      return send(new URL(base.search.url + http.path), 'POST', { 'content-type': http.contentType }, http.body);
    };
    // The engine's request cache would answer a repeated size-0 facet request from memory: the
    // API run and the engine run send the same searches, and --parts sends them five times more.
    // A live index refreshes at least twice a second under change and empties that cache each time, so
    // every search here is computed.
    await setRequestCache(base.search.url, alias, false);
    phase(`warming up: ${API_WARMUP_PASSES * warmup.length} searches through the API, ${warmup.length} straight`);
    // The API is a fresh Node process and the engine a JVM that has served for hours. V8 keeps
    // optimising the API's paths over its first few thousand requests (its CPU per search fell
    // from ~3.2 ms over the first 1,600 searches to ~2.2 after 4,000 and ~1.9 after 8,000, at a
    // million candidates), so it serves 4,000 before anything is measured; the CPU per search of
    // the first and last warm-up passes is in the JSON.
    const warmupCpu: number[] = [];
    for (let pass = 0; pass < API_WARMUP_PASSES; pass++) {
      const before = cpuMs({ pid: api.pid! });
      await timed(warmup, 8, viaApi);
      const after = cpuMs({ pid: api.pid! });
      if (before !== undefined && after !== undefined) warmupCpu.push(round((after - before) / warmup.length, 2));
    }
    await timed(warmup, 8, direct);
    const apiWarmup = { searches: API_WARMUP_PASSES * warmup.length, ...(warmupCpu.length ? { first_pass_api_cpu_ms: warmupCpu[0], last_pass_api_cpu_ms: warmupCpu.at(-1) } : {}) };
    phase(`  API CPU per search by warm-up pass: ${warmupCpu.join(', ') || 'not measurable here'} ms`);
    for (const [i, concurrency] of CONCURRENCY.entries()) {
      const queries = levels[i]!;
      phase(`concurrency ${concurrency}: ${queries.length} searches through the API and straight to the engine, twice each (API, engine, engine, API)`);
      // Each side runs first once and last once: whichever ran second met caches the first had
      // warmed (one run each, API first, put the API's p50 12-26% above the engine's where
      // alternating runs gave 5-21%).
      const cpu = { api: 0, engine: 0 };
      let cpuKnown = true;
      const measured = async (one: (q: Query) => Promise<number>, countCpu: boolean) => {
        const before = { api: cpuMs({ pid: api.pid! }), engine: cpuMs({ pattern: ENGINE_PROCESS }) };
        const run = await timed(queries, concurrency, one);
        const after = { api: cpuMs({ pid: api.pid! }), engine: cpuMs({ pattern: ENGINE_PROCESS }) };
        if (countCpu) {
          if (before.api === undefined || after.api === undefined || before.engine === undefined || after.engine === undefined) cpuKnown = false;
          else { cpu.api += after.api - before.api; cpu.engine += after.engine - before.engine; }
        }
        return run;
      };
      const apiFirst = await measured(viaApi, true);
      const engineFirst = await measured(direct, false);
      const engineSecond = await measured(direct, false);
      const apiSecond = await measured(viaApi, true);
      const pooled = (a: { latencies: number[]; seconds: number }, b: { latencies: number[]; seconds: number }) =>
        ({ latencies: [...a.latencies, ...b.latencies].sort((x, y) => x - y), seconds: a.seconds + b.seconds });
      const throughApi = pooled(apiFirst, apiSecond);
      const engine = pooled(engineFirst, engineSecond);
      const perSearch = (part: 'api' | 'engine') => (cpuKnown ? cpu[part] / (2 * queries.length) : undefined);
      const apiCpu = perSearch('api');
      const engineCpu = perSearch('engine');
      const apiP50 = percentile(throughApi.latencies, 50);
      const engineP50 = percentile(engine.latencies, 50);
      process.stdout.write(JSON.stringify({
        bench: 'search', candidates: documents, concurrency, queries: queries.length, runs_per_side: 2,
        p50_ms: round(apiP50), p95_ms: round(percentile(throughApi.latencies, 95)), p99_ms: round(percentile(throughApi.latencies, 99)),
        qps: round(throughApi.latencies.length / throughApi.seconds),
        engine_p50_ms: round(engineP50), engine_p95_ms: round(percentile(engine.latencies, 95)), engine_qps: round(engine.latencies.length / engine.seconds),
        api_overhead_ratio: round((apiP50 - engineP50) / engineP50, 3),
        // CPU per search during the API run (a local engine only): what the API itself costs.
        ...(apiCpu !== undefined && engineCpu !== undefined ? { api_cpu_ms: round(apiCpu), engine_cpu_ms: round(engineCpu), api_cpu_ratio: round(apiCpu / engineCpu, 3) } : {}),
        mix: 'recruiter: 80% text, 2-4 filters, 8 facets, size 20', request_cache: 'off', api_warmup: apiWarmup, machine: machine(),
      }) + '\n');
    }
    if (values.parts) await measureParts(levels[CONCURRENCY.indexOf(8)]!, direct, documents);
  } finally {
    await setRequestCache(base.search.url, alias, null).catch(() => undefined);
    api.kill('SIGTERM');
    await search.close();
    agent.destroy();
  }
}

/** Turns the engine's shard request cache off for `index` (false) or back to its default (null). */
async function setRequestCache(engineUrl: string, index: string, enabled: false | null): Promise<void> {
  const response = await fetch(`${engineUrl}/${index}/_settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ index: { requests: { cache: { enable: enabled } } } }) });
  if (!response.ok) throw new Error(`could not set the request cache of ${index}: ${await response.text()}`);
}

const withoutHighlighting = (requests: EngineRequests) => requests.map(({ highlight: _h, ...body }) => body);
/** Facets out: the page request without aggregations, and no facet-count requests. */
const withoutFacets = (requests: EngineRequests) => requests.slice(0, 1).map(({ aggs: _a, ...body }) => body);
const PARTS_REMOVED: Record<string, (requests: EngineRequests) => EngineRequests> = {
  nothing: (requests) => requests,
  highlighting: withoutHighlighting,
  facets: withoutFacets,
  highlighting_and_facets: (requests) => withoutFacets(withoutHighlighting(requests)),
};

/**
 * `--parts`: what each part of a search costs the engine. The concurrency-8 requests go
 * straight to OpenSearch again, whole and with highlighting, facets or both taken out, in
 * two interleaved passes (the machine drifts over minutes by more than some parts cost).
 * One JSON line per variant and pass, with the engine's CPU per search where it is local.
 */
async function measureParts(queries: Query[], direct: (q: Query) => Promise<number>, documents: number): Promise<void> {
  for (const pass of [1, 2]) {
    for (const [removed, strip] of Object.entries(PARTS_REMOVED)) {
      phase(`parts, pass ${pass}: without ${removed}`);
      const stripped = queries.map((q) => ({ ...q, engine: strip(q.engine) }));
      const cpuBefore = cpuMs({ pattern: ENGINE_PROCESS });
      const run = await timed(stripped, 8, direct);
      const cpuAfter = cpuMs({ pattern: ENGINE_PROCESS });
      process.stdout.write(JSON.stringify({
        bench: 'search-parts', candidates: documents, concurrency: 8, queries: queries.length, pass, removed,
        engine_p50_ms: round(percentile(run.latencies, 50)), engine_p95_ms: round(percentile(run.latencies, 95)), engine_qps: round(queries.length / run.seconds),
        ...(cpuBefore !== undefined && cpuAfter !== undefined ? { engine_cpu_ms: round((cpuAfter - cpuBefore) / queries.length) } : {}),
        machine: machine(),
      }) + '\n');
    }
  }
}
