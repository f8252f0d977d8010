/**
 * `npm run bench -- recommend [--opportunities N] [--requests R] [--steps S] [--reuse] [--quick]`:
 * recommendations for beneficiaries (top 20 with chips, each stored as a recommendations row)
 * through the API at concurrency 1 and 8, the encoder's throughput, and its training time.
 *
 * - Loads the demo world sized so it holds N opportunities (default 100,000: the demo has one
 *   opportunity per ten candidates) into its own database; `--reuse` keeps it from an earlier
 *   run of the same N.
 * - Trains the text encoder here on the platform's pairs (timed), activates it, and measures
 *   how many texts a second it embeds (the indexer's and the ranker's cost per document).
 * - Builds the opportunities index with the indexer's backfill (so every document carries its
 *   vector), starts `meridian api` as its own process, and replays GET /v1/me/recommendations
 *   by beneficiaries who consented to matching, spread over the world's regions, both ways a
 *   request is answered: ranked on the spot (`fresh=true`), then — after timing the nightly
 *   refresh for those people — their stored sets served again.
 * Prints one JSON line per figure set, each stating the machine and the data size.
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
import { aliasName } from '../src/search/indices.js';
import { deleteIndicesWithPrefix } from '../src/search/admin.js';
import { signToken } from '../src/api/tokens.js';
import { reindex } from '../indexers/backfill.js';
import { RetryLaterError } from '../indexers/writer.js';
import { platformPairs, summarise } from '../src/matching/pairs.js';
import { trainEncoder, DEFAULT_TRAIN_OPTIONS } from '../src/matching/train-encoder.js';
import { DEFAULT_ENCODER_CONFIG } from '../src/matching/encoder.js';
import { saveEncoder, loadActiveEncoder } from '../src/matching/model-store.js';
import { loadTf } from '../src/matching/tf.js';
import { loadDocuments } from '../src/db/documents.js';
import { opportunityText } from '../src/matching/document-text.js';
import { machine, peakRssMb } from './machine.js';
import { freshDatabase, keptWorldRows, withDatabase } from './database.js';
import { runRecommendationsRefresh } from '../pipelines/jobs/recommendations-refresh.js';

const phase = (name: string) => process.stderr.write(`recommend: ${new Date().toISOString().slice(11, 19)} ${name}\n`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const SECRET = 'bench-recommend-secret-0123456789-0123456789';
const CONCURRENCY = [1, 8];
const AS_OF = new Date('2026-11-01T00:00:00Z');

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** One GET on a keep-alive socket; resolves with the status and the parsed body. */
function get(url: URL, token: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: any = text;
        try { body = JSON.parse(text); } catch { /* keep the text for the error message */ }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchRecommend(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: {
    opportunities: { type: 'string' }, requests: { type: 'string' }, steps: { type: 'string' },
    reuse: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false },
  } });
  const opportunities = Number(values.opportunities ?? (values.quick ? 2_000 : 100_000));
  const requests = Number(values.requests ?? (values.quick ? 100 : 600));
  const steps = Number(values.steps ?? (values.quick ? 100 : DEFAULT_TRAIN_OPTIONS.steps));
  for (const [name, value] of Object.entries({ opportunities, requests, steps })) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`--${name} must be a positive integer`);
  }
  const candidates = Math.max(50, opportunities * 10);
  const base = loadConfig();
  const log = createLogger('warn');
  await servicesUp(base, log);
  const name = `meridian_bench_recommend_${opportunities}`;
  const prefix = `bench_recommend_${opportunities}_`;
  const search = new OpenSearchBackend(base.search.url);
  const alias = aliasName(prefix, 'opportunities');
  const databaseUrl = withDatabase(base.database.url, name);
  const modelsDir = path.join(base.home, 'bench-models', name);

  const reused = values.reuse && (await keptWorldRows(base, log, databaseUrl, 'opportunities')) >= opportunities;
  if (!reused) {
    const { release } = await freshDatabase(base, log, name);
    await release();
    phase(`loading the demo world with ${candidates.toLocaleString()} candidates`);
    await loadDemo(databaseUrl, { seed: 11, candidates, asOf: AS_OF });
  }
  const db = createDb(base, log, { url: databaseUrl, poolMax: 10 });
  try {
    const size = { opportunities: Number((await db('opportunities').count<{ n: string }[]>({ n: '*' }))[0]!.n), candidates };

    // Training: the platform's own pairs, the steps asked for, on whichever backend loads.
    phase('training the text encoder');
    const pairs = await platformPairs(db);
    const { backend } = await loadTf();
    const options = { ...DEFAULT_TRAIN_OPTIONS, steps };
    const t0 = performance.now();
    const trained = await trainEncoder(pairs, { ...options, config: DEFAULT_ENCODER_CONFIG });
    const trainSeconds = (performance.now() - t0) / 1000;
    await saveEncoder(db, modelsDir, trained.encoder, {
      parameters: { steps, batchSize: options.batchSize, learningRate: options.learningRate, temperature: options.temperature, seed: options.seed },
      trainingData: { pairs: summarise(pairs), bench: 'recommend' }, metrics: trained.metrics, activate: true,
    });
    process.stdout.write(JSON.stringify({
      bench: 'recommend', figure: 'encoder_training', backend, pairs: pairs.length, steps, batch: options.batchSize,
      seconds: round(trainSeconds), steps_per_s: round(steps / trainSeconds, 2), metrics: trained.metrics, ...size, machine: machine(),
    }) + '\n');

    // Encoder throughput on real opportunity texts, as the indexer feeds it.
    phase('timing the encoder');
    const encoder = (await loadActiveEncoder(db))!;
    const ids: string[] = await db('opportunities').orderBy('id').limit(5_000).pluck('id');
    const texts = (await loadDocuments(db, 'opportunities', ids)).map((d) => opportunityText(d.document!)).filter(Boolean);
    encoder.embed(texts.slice(0, 200)); // warm the JIT
    const t1 = performance.now();
    let embedded = 0;
    while (performance.now() - t1 < 3_000) { encoder.embed(texts); embedded += texts.length; }
    const embedSeconds = (performance.now() - t1) / 1000;
    const meanChars = texts.reduce((sum, t) => sum + t.length, 0) / texts.length;
    process.stdout.write(JSON.stringify({
      bench: 'recommend', figure: 'encoder_throughput', texts_per_s: Math.round(embedded / embedSeconds), mean_text_chars: Math.round(meanChars),
      dimension: encoder.config.dimension, buckets: encoder.config.buckets, machine: machine(),
    }) + '\n');

    // The index, with vectors from the encoder just trained (a new encoder means a rebuild).
    phase('building the opportunities index');
    await deleteIndicesWithPrefix(base.search.url, prefix);
    const t2 = performance.now();
    // The indexer's own loop retries a busy engine; so does the bench (a build resumes after
    // its last page).
    for (let attempt = 1; ; attempt++) {
      try {
        await reindex({ db, search, log, prefix, encoder }, 'opportunities', (done) => {
          if (done % 20_000 < 1000) phase(`  ${done.toLocaleString()} documents`);
        });
        break;
      } catch (error) {
        if (!(error instanceof RetryLaterError) || attempt >= 10) throw error;
        phase(`  the engine is busy (${(error as Error).message}); resuming in 5 s`);
        await new Promise((resolve) => setTimeout(resolve, 5_000));
      }
    }
    const indexSeconds = (performance.now() - t2) / 1000;
    await search.refresh(alias);
    const documents = await search.count(alias);
    phase(`  ${documents.toLocaleString()} documents in ${round(indexSeconds)} s`);

    // Beneficiaries who may be matched, spread over the world (ordered by a hash of the id).
    const seekers: Array<{ id: string; user_id: string }> = (await db.raw(`
      SELECT c.id, c.user_id FROM candidates c JOIN users u ON u.id = c.user_id
      WHERE c.candidate_type = 'beneficiary' AND c.deleted_at IS NULL AND u.erased_at IS NULL
        AND EXISTS (SELECT 1 FROM consent_records cr WHERE cr.user_id = c.user_id AND cr.consent_type = 'matching' AND cr.granted AND cr.revoked_at IS NULL)
      ORDER BY md5(c.id::text) LIMIT ?`, [Math.min(2_000, requests * CONCURRENCY.length + 50)])).rows;
    if (seekers.length < 10) throw new Error(`only ${seekers.length} beneficiaries consented to matching; the world is too small`);
    const tokens = seekers.map((s) => signToken({ sub: s.user_id, roles: ['beneficiary'] }, SECRET, Date.now()));

    phase('starting the API');
    const port = 19000 + (process.pid % 1000);
    const env = { ...process.env, DATABASE_URL: databaseUrl, INDEX_PREFIX: prefix, API_PORT: String(port), AUTH_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'info', MERIDIAN_HOME: base.home };
    const apiLog = openSync(path.join(base.home, 'bench-recommend-api.log'), 'w');
    const api = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/meridian.js'), 'api'], { env, stdio: ['ignore', apiLog, apiLog] });
    const apiUrl = `http://127.0.0.1:${port}`;
    try {
      for (let i = 0; ; i++) {
        if ((await get(new URL(`${apiUrl}/v1/openapi.json`), '').catch(() => ({ status: 0 }))).status === 200) break;
        if (i > 300) throw new Error('the API did not start (see .meridian/bench-recommend-api.log)');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      let served = 0;
      let chips = 0;
      let ranked = 0;
      const one = async (url: URL, token: string) => {
        const t = performance.now();
        const { status, body } = await get(url, token);
        const ms = performance.now() - t;
        if (status !== 200) throw new Error(`GET ${url.pathname}${url.search}: ${status} ${JSON.stringify(body).slice(0, 300)}`);
        served += body.results.length;
        chips += body.results.reduce((sum: number, r: { chips: unknown[] }) => sum + r.chips.length, 0);
        if (body.ranked) ranked++;
        return ms;
      };
      // Both ways a request is answered: ranked on the spot (`fresh=true`: what a first visit,
      // a changed profile or a changed opportunity costs), and the set the nightly refresh
      // ranked, served again (what every other visit that day costs).
      const measure = async (way: 'ranked' | 'stored', concurrency: number) => {
        const url = new URL(`${apiUrl}/v1/me/recommendations?size=20${way === 'ranked' ? '&fresh=true' : ''}`);
        phase(`${way}, concurrency ${concurrency}: ${requests} recommendation requests`);
        served = 0;
        chips = 0;
        ranked = 0;
        const latencies: number[] = [];
        let next = 0;
        const started = performance.now();
        await Promise.all(Array.from({ length: concurrency }, async () => {
          while (next < requests) {
            next++;
            latencies.push(await one(url, tokens[cursor++ % tokens.length]!));
          }
        }));
        const seconds = (performance.now() - started) / 1000;
        latencies.sort((a, b) => a - b);
        process.stdout.write(JSON.stringify({
          bench: 'recommend', way, opportunities: documents, candidates, concurrency, requests,
          p50_ms: round(percentile(latencies, 50)), p95_ms: round(percentile(latencies, 95)), p99_ms: round(percentile(latencies, 99)),
          rps: round(requests / seconds), items_per_response: round(served / requests), chips_per_item: round(chips / Math.max(1, served)),
          ranked_share: round(ranked / requests, 3),
          mix: way === 'ranked'
            ? 'GET /v1/me/recommendations?size=20&fresh=true by distinct consenting beneficiaries: ranked on request, each response stored as recommendations rows'
            : 'GET /v1/me/recommendations?size=20 by the same beneficiaries after the nightly refresh: the stored set served again (ranked_share: answers that had to rank)',
          bench_peak_rss_mb: peakRssMb(), machine: machine(),
        }) + '\n');
      };
      phase('warming up');
      const warm = new URL(`${apiUrl}/v1/me/recommendations?size=20&fresh=true`);
      for (const token of tokens.slice(0, 30)) await one(warm, token);
      let cursor = 30;
      for (const concurrency of CONCURRENCY) await measure('ranked', concurrency);

      // The nightly refresh, as the scheduler runs it, for the people the bench asks for.
      phase(`the nightly refresh for ${seekers.length.toLocaleString()} beneficiaries`);
      const t3 = performance.now();
      const refreshed = await runRecommendationsRefresh({ db, log, now: () => new Date(), search, indexPrefix: prefix, encoder }, { from: '', to: '', candidates: seekers.map((s) => s.id) });
      const refreshSeconds = (performance.now() - t3) / 1000;
      process.stdout.write(JSON.stringify({
        bench: 'recommend', figure: 'nightly_refresh', people: seekers.length, rows: refreshed, seconds: round(refreshSeconds),
        people_per_s: round(seekers.length / refreshSeconds), concurrency: 1, opportunities: documents, machine: machine(),
      }) + '\n');
      cursor = 0;
      for (const concurrency of CONCURRENCY) await measure('stored', concurrency);
    } finally {
      api.kill('SIGTERM');
    }
  } finally {
    await db.destroy();
    await search.close();
    agent.destroy();
  }
}
