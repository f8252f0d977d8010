/**
 * `npm run eval -- onet [--quick] [--seed N] [--occupations N] [--per-occupation N] [--queries N] [--steps N]`:
 * the offline matching evaluation of DESIGN §6 on O*NET (../shared/data/onet, read in place).
 *
 * Runs the real stack, in a database and index prefix of its own (`meridian_eval_onet`,
 * `eval_onet_`): the benchmark's rows go into a fresh, migrated Postgres; the encoder is
 * trained with train-encoder.ts on leak-free pairs (see onet-benchmark.ts) and saved and
 * loaded through ml_model_versions; both indices are built by the indexer's backfill (which
 * embeds every document); and every query is ranked by the functions the API's routes call —
 * rankOpportunities for `GET /v1/me/recommendations`, rankCandidates for
 * `GET /v1/opportunities/:id/candidates` — on the query's document as the route loads it
 * (loadDocuments), with the same viewer. They are called in-process so that one call yields
 * all three systems: `bm25` and `embedding` are the ranker's own two retrieval legs, seen
 * through RankDeps.observe, and `full` is its reranked output. Then the API itself, started
 * as its own process on the same database and indices, serves a sample of the same queries
 * over HTTP, as a check that it ranks exactly what was measured.
 *
 * Prints one JSON line per direction, one with recruiter-side exposure by category, and one
 * per direction for the HTTP check.
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { servicesUp } from '../src/local/services.js';
import { createDb } from '../src/db/knex.js';
import { loadDocuments } from '../src/db/documents.js';
import { createSearchBackend } from '../src/search/index.js';
import { deleteIndicesWithPrefix } from '../src/search/admin.js';
import { createTaxonomyCache } from '../src/api/taxonomy-cache.js';
import { signToken } from '../src/api/tokens.js';
import { Random } from '../src/domain/random.js';
import { DEFAULT_ENCODER_CONFIG } from '../src/matching/encoder.js';
import { DEFAULT_TRAIN_OPTIONS, trainEncoder } from '../src/matching/train-encoder.js';
import { loadActiveEncoder, saveEncoder } from '../src/matching/model-store.js';
import { rankCandidates, rankOpportunities, RETRIEVE, type RankDeps, type Ranked } from '../src/matching/rank.js';
import { coverage, exposureByGroup, mean, ndcgAt, recallAt, reciprocalRank } from '../src/matching/evaluate.js';
import { summarise } from '../src/matching/pairs.js';
import { reindex } from '../indexers/backfill.js';
import { freshDatabase } from './database.js';
import { buildBenchmark, pairGrade, slugOf, violation, type BenchCandidate, type BenchOpportunity } from './onet-benchmark.js';
import { loadBenchmark } from './onet-load.js';

const phase = (text: string) => process.stderr.write(`eval: ${new Date().toISOString().slice(11, 19)} ${text}\n`);
const round = (n: number) => Math.round(n * 1e4) / 1e4;
const RETRIEVAL_DEPTH = 100;
const CONCURRENCY = 4;

interface QueryResult {
  ndcg: { bm25: number; embedding: number; full: number };
  recall5: number;
  mrr: number;
  retrievalRecall: number;
  violations: number;
  chipsChecked: number;
  chipsRight: number;
  /** The query's id and the full ranking's top 10 (to compare with what the API serves). */
  query: string;
  top10: string[];
  top10Scores: number[];
  grades: Map<string, number>;
  /** Recruiter side: each fully relevant candidate's category and rank in the full ranking. */
  exposure: Array<{ group: string; rank: number | null }>;
}

/** Runs `one` over `items` with a few requests in flight, keeping results in order. */
async function pool<T, R>(items: T[], one: (item: T) => Promise<R>, progress: (done: number) => void): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await one(items[i]!);
      if (++done % 50 === 0) progress(done);
    }
  }));
  return out;
}

/**
 * Scores one query. `grades` is every item's graded relevance (0 for a pair a hard constraint
 * forbids); recall and MRR count the fully relevant items (grade 3: the same occupation).
 */
function score(query: string, ranked: Ranked[], legs: { text: string[]; vector: string[] }, grades: Map<string, number>, check: (item: Ranked) => { violation: boolean; chipRight: boolean | null }): Omit<QueryResult, 'exposure'> {
  const full = ranked.map((r) => r.id);
  const relevant = new Set([...grades].filter(([, g]) => g === 3).map(([id]) => id));
  let violations = 0;
  let chipsChecked = 0;
  let chipsRight = 0;
  for (const item of ranked.slice(0, 10)) {
    const { violation: broken, chipRight } = check(item);
    if (broken) violations++;
    if (chipRight !== null) {
      chipsChecked++;
      if (chipRight) chipsRight++;
    }
  }
  return {
    ndcg: { bm25: ndcgAt(legs.text, grades, 10), embedding: ndcgAt(legs.vector, grades, 10), full: ndcgAt(full, grades, 10) },
    recall5: recallAt(full, relevant, 5),
    mrr: reciprocalRank(full, relevant),
    retrievalRecall: coverage([...legs.text.slice(0, RETRIEVAL_DEPTH), ...legs.vector.slice(0, RETRIEVAL_DEPTH)], relevant),
    violations, chipsChecked, chipsRight, query, top10: full.slice(0, 10), top10Scores: ranked.slice(0, 10).map((r) => r.score), grades,
  };
}

/** The "x of y required skills" chip against the set intersection of the benchmark's own rows. */
function chipRight(item: Ranked, candidate: BenchCandidate, opportunity: BenchOpportunity): boolean | null {
  const required = new Set(opportunity.requiredSkills);
  const held = new Set(candidate.skills.map((s) => slugOf(s.label)));
  const chip = item.chips.find((c) => c.type === 'skills');
  if (required.size === 0) return chip === undefined;
  const matched = [...required].filter((s) => held.has(s)).length;
  return chip !== undefined && chip.data?.required === required.size && chip.data?.matched === matched;
}

function report(direction: 'beneficiary' | 'recruiter', results: QueryResult[]): void {
  const checked = results.reduce((s, r) => s + r.chipsChecked, 0);
  process.stdout.write(JSON.stringify({
    eval: 'onet', direction, queries: results.length,
    ndcg10: { bm25: round(mean(results.map((r) => r.ndcg.bm25))), embedding: round(mean(results.map((r) => r.ndcg.embedding))), full: round(mean(results.map((r) => r.ndcg.full))) },
    recall5: round(mean(results.map((r) => r.recall5))),
    mrr: round(mean(results.map((r) => r.mrr))),
    recall100_retrieval: round(mean(results.map((r) => r.retrievalRecall))),
    violations_top10: results.reduce((s, r) => s + r.violations, 0),
    chip_skill_count_accuracy: checked === 0 ? null : round(results.reduce((s, r) => s + r.chipsRight, 0) / checked),
  }) + '\n');
}

const API_SAMPLE = 50;
const SECRET = 'eval-onet-secret-0123456789-0123456789';

/**
 * The HTTP check: the API as its own process (`meridian api`) on the evaluation's database and
 * indices serves a sample of the same queries; its top 10 must be the in-process top 10, and
 * its nDCG@10 is reported beside the in-process figure on the same sample.
 */
async function throughApi(databaseUrl: string, prefix: string, home: string, directions: Array<{
  direction: 'beneficiary' | 'recruiter'; results: QueryResult[]; path: (query: string) => string;
  token: (query: string) => { sub: string; org?: string; roles: string[] }; ids: (body: any) => string[];
}>): Promise<void> {
  const port = 19000 + (process.pid % 1000);
  const env = { ...process.env, DATABASE_URL: databaseUrl, INDEX_PREFIX: prefix, API_PORT: String(port), AUTH_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'warn' };
  const apiLog = openSync(path.join(home, 'eval-onet-api.log'), 'w');
  const api = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/meridian.js'), 'api'], { env, stdio: ['ignore', apiLog, apiLog] });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (await fetch(`${base}/v1/openapi.json`).then((r) => r.ok, () => false)) break;
      if (i > 300) throw new Error(`the API did not start (see ${path.join(home, 'eval-onet-api.log')})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const { direction, results, path: pathOf, token, ids } of directions) {
      let same = 0;
      const ndcgApi: number[] = [];
      for (const result of results) {
        const response = await fetch(base + pathOf(result.query), { headers: { authorization: `Bearer ${signToken(token(result.query) as never, SECRET)}` } });
        const body = await response.json() as any;
        if (!response.ok) throw new Error(`${direction} ${pathOf(result.query)}: ${response.status} ${JSON.stringify(body)}`);
        const served = ids(body);
        if (served.join() === result.top10.join()) same++;
        else phase(`  ${direction} ${result.query}: the API served a different top 10 ${JSON.stringify({ api: body.results.map((r: any) => r.score), measured: result.top10Scores.map((x) => Math.round(x * 1e4) / 1e4), firstDifference: served.findIndex((id, i) => id !== result.top10[i]) })}`);
        ndcgApi.push(ndcgAt(served, result.grades, 10));
      }
      process.stdout.write(JSON.stringify({
        eval: 'onet', direction, check: 'api', queries: results.length, same_top10: round(same / Math.max(1, results.length)),
        ndcg10_full_api: round(mean(ndcgApi)), ndcg10_full_in_process: round(mean(results.map((r) => r.ndcg.full))),
      }) + '\n');
    }
  } finally {
    api.kill('SIGTERM');
  }
}

export async function evalOnet(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args, options: {
      quick: { type: 'boolean', default: false }, seed: { type: 'string', default: '20261127' }, occupations: { type: 'string' }, 'per-occupation': { type: 'string' },
      queries: { type: 'string' }, steps: { type: 'string' }, onet: { type: 'string', default: path.resolve(PROJECT_ROOT, '../shared/data/onet') },
    },
  });
  const quick = values.quick!;
  const seed = Number(values.seed);
  const occupations = Number(values.occupations ?? (quick ? 100 : 300));
  const perOccupation = Number(values['per-occupation'] ?? (quick ? 8 : 10));
  const queries = Number(values.queries ?? (quick ? 100 : 300));
  const steps = Number(values.steps ?? (quick ? 300 : 1000));

  const base = loadConfig();
  const log = createLogger('warn');
  await servicesUp(base, log);
  const name = 'meridian_eval_onet';
  const prefix = 'eval_onet_';

  phase(`building the benchmark from ${values.onet} (seed ${seed}, ${occupations} occupations × ${perOccupation})`);
  // "Now" for the benchmark's dates: the start of this minute, as the API process serves with the wall clock.
  const asOf = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const bench = await buildBenchmark(values.onet!, { seed, occupations, perOccupation, asOf });
  const AS_OF = bench.asOf;
  phase(`${bench.occupations.length} occupations, ${bench.opportunities.length} opportunities, ${bench.candidates.length} candidates, ${bench.skills.size} skills, ${bench.trainingPairs.length} training pairs`);

  await deleteIndicesWithPrefix(base.search.url, prefix);
  const { url, release } = await freshDatabase(base, log, name);
  const db = createDb(base, log, { url, poolMax: 8 });
  const search = await createSearchBackend(base);
  try {
    phase('loading Postgres');
    const { organizations, recruiters, users } = await loadBenchmark(db, bench);

    phase(`training the encoder (${steps} steps)`);
    const trained = await trainEncoder(bench.trainingPairs, { ...DEFAULT_TRAIN_OPTIONS, config: DEFAULT_ENCODER_CONFIG, steps, seed });
    phase(`encoder: ${JSON.stringify(trained.metrics)}`);
    await saveEncoder(db, path.join(base.home, 'eval-onet', 'models'), trained.encoder, {
      parameters: { steps, seed }, trainingData: { ...summarise(bench.trainingPairs), note: 'O*NET job half only; no candidate text' }, metrics: trained.metrics, activate: true,
    });
    // As every process does: the active version, verified against its checksum.
    const encoder = await loadActiveEncoder(db);

    phase('building the indices with the indexer backfill');
    for (const type of ['opportunities', 'candidates'] as const) await reindex({ db, search, log, prefix, encoder }, type);

    const taxonomy = await createTaxonomyCache(db, log).get();
    // A failed vector leg would quietly turn the vector baseline into nothing: fail instead.
    const deps: RankDeps = { search, indexPrefix: prefix, encoder, skillLabels: (slug) => taxonomy.label(slug), now: () => AS_OF, vectorLegFailed: (error) => { throw error; } };
    const random = new Random(seed, 2);
    const opportunityById = new Map(bench.opportunities.map((o) => [o.id, o]));
    const candidateById = new Map(bench.candidates.map((c) => [c.id, c]));

    // Beneficiary: a candidate asks for opportunities.
    const beneficiaryQueries = random.sample(bench.candidates.filter((c) => bench.opportunities.some((o) => pairGrade(bench, c, o, AS_OF) === 3)), queries);
    phase(`beneficiary: ${beneficiaryQueries.length} queries`);
    const beneficiary = await pool(beneficiaryQueries, async (c) => {
      const [doc] = await loadDocuments(db, 'candidates', [c.id]);
      let legs = { text: [] as string[], vector: [] as string[] };
      const ranked = await rankOpportunities({ ...deps, observe: (l) => { legs = l; } }, doc!.document, { kind: 'beneficiary', category: c.category }, { size: RETRIEVE, language: 'en' });
      const grades = new Map(bench.opportunities.map((o) => [o.id, pairGrade(bench, c, o, AS_OF)]));
      const o = (id: string) => opportunityById.get(id)!;
      return { ...score(c.id, ranked, legs, grades, (item) => ({ violation: violation(c, o(item.id), AS_OF) !== null, chipRight: chipRight(item, c, o(item.id)) })), exposure: [] };
    }, (done) => phase(`  ${done}`));
    report('beneficiary', beneficiary);

    // Recruiter: an open opportunity's recruiter asks for candidates.
    const recruiterQueries = random.sample(bench.opportunities.filter((o) => bench.candidates.some((c) => pairGrade(bench, c, o, AS_OF) === 3)), queries);
    phase(`recruiter: ${recruiterQueries.length} queries`);
    const recruiter = await pool(recruiterQueries, async (o) => {
      const [doc] = await loadDocuments(db, 'opportunities', [o.id]);
      let legs = { text: [] as string[], vector: [] as string[] };
      // The viewer the API resolves for a recruiter of the opportunity's organisation.
      const viewer = { kind: 'recruiter' as const, organizationId: organizations[o.organization]!, programIds: [], cohortIds: [] };
      const ranked = await rankCandidates({ ...deps, observe: (l) => { legs = l; } }, doc!.document, viewer, { size: RETRIEVE, language: 'en' });
      const grades = new Map(bench.candidates.map((c) => [c.id, pairGrade(bench, c, o, AS_OF)]));
      const c = (id: string) => candidateById.get(id)!;
      const full = ranked.map((r) => r.id);
      const exposure = [...grades].filter(([, g]) => g === 3).map(([id]) => ({ group: c(id).category ?? 'none', rank: full.indexOf(id) < 0 ? null : full.indexOf(id) }));
      return { ...score(o.id, ranked, legs, grades, (item) => ({ violation: violation(c(item.id), o, AS_OF) !== null, chipRight: chipRight(item, c(item.id), o) })), exposure };
    }, (done) => phase(`  ${done}`));
    report('recruiter', recruiter);
    process.stdout.write(JSON.stringify({
      eval: 'onet', direction: 'recruiter', exposure_top10_relevance3_by_category: exposureByGroup(recruiter.flatMap((r) => r.exposure), 10),
    }) + '\n');

    phase(`through the API: ${API_SAMPLE} queries per direction`);
    const userOf = new Map(bench.candidates.map((c, i) => [c.id, users[i]!]));
    const orgOf = new Map(bench.opportunities.map((o) => [o.id, o.organization]));
    await throughApi(url, prefix, base.home, [
      { direction: 'beneficiary', results: beneficiary.slice(0, API_SAMPLE), path: () => '/v1/me/recommendations?size=10', token: (q) => ({ sub: userOf.get(q)!, roles: ['beneficiary'] }), ids: (body) => body.results.map((r: any) => r.opportunity.id as string) },
      { direction: 'recruiter', results: recruiter.slice(0, API_SAMPLE), path: (q) => `/v1/opportunities/${q}/candidates?size=10`, token: (q) => ({ sub: recruiters[orgOf.get(q)!]!, org: organizations[orgOf.get(q)!]!, roles: ['recruiter'] }), ids: (body) => body.results.map((r: any) => r.candidate.id as string) },
    ]);
  } finally {
    await search.close();
    await db.destroy();
    await release();
  }
}

const EVALS: Record<string, (args: string[]) => Promise<void>> = { onet: evalOnet };

const [name, ...rest] = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
const run = name ? EVALS[name] : undefined;
if (!run) {
  process.stderr.write(`usage: npm run eval -- <${Object.keys(EVALS).join('|')}> [options]\n`);
  process.exit(2);
}
try {
  await run(rest);
} catch (error) {
  process.stderr.write(`eval ${name} failed: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
}
