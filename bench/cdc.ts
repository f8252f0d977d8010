/**
 * `npm run bench -- cdc [--candidates N] [--quick]`: the CDC indexer against its limits, in one
 * run, on the local Postgres and OpenSearch:
 *   - backfill documents/s of the candidates index (`meridian reindex candidates`);
 *   - the raw bulk rate of the same documents sent straight to the engine (the ceiling: 500
 *     documents a request, as many requests in flight as the indexer keeps);
 *   - freshness (commit → searchable) p50/p95/p99 under a steady 1,000 row changes/s;
 *   - the highest sustained rate: a burst of row changes (every candidate's headline, in
 *     rounds), timed until all are searchable, with the document writes it cost the engine;
 *     and, for comparison, a burst in which every change is a different document;
 *   - peak RSS of the indexer process;
 *   - for each burst, the CPU seconds the engine, the indexer and Postgres spent on it, and the
 *     engine's CPU per document written: on two shared cores, a steadier measure of what a
 *     change costs than rates, which move with the machine from hour to hour.
 * The indexer runs as its own process (`meridian indexer`), as in production;
 * BENCH_INDEXER_LOG_LEVEL=debug makes it log every window it writes (to stderr).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { servicesUp } from '../src/local/services.js';
import type { Knex } from 'knex';
import { createDb } from '../src/db/knex.js';
import { loadDemo } from '../src/db/seed/load.js';
import { OpenSearchBackend } from '../src/search/opensearch.js';
import { aliasName, indexDefinition } from '../src/search/indices.js';
import { loadDocuments, type LoadedDocument } from '../src/db/documents.js';
import { BULK_REQUESTS_IN_FLIGHT } from '../indexers/writer.js';
import { slotLag, slotNameFor } from '../src/db/slot.js';
import { cpuMs, machine, OPENSEARCH_PROCESS } from './machine.js';
import { freshDatabase } from './database.js';
import { deleteIndicesWithPrefix } from '../src/search/admin.js';
import { trainAndSaveEncoder } from '../src/matching/encoder-training.js';
import { loadActiveEncoder } from '../src/matching/model-store.js';
import { candidateText } from '../src/matching/document-text.js';
import type { Encoder } from '../src/matching/encoder.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const phase = (name: string) => process.stderr.write(`cdc: ${new Date().toISOString().slice(11, 19)} ${name}\n`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * Waits until everything committed before this call is searchable. A new row is the only
 * safe marker: an existing document may be rebuilt early (the indexer loads the current
 * state of every document it writes), but a new row's id enters the stream only when its
 * own insert is decoded, after every earlier transaction.
 */
async function waitForEverythingBefore(db: Knex, search: OpenSearchBackend, alias: string, organizationId: string): Promise<void> {
  const title = `marker ${Date.now().toString(36)} ${Math.random().toString(36).slice(2)}`;
  await db('opportunities').insert({ type: 'INTERNSHIP', title, description: 'marker', organization_id: organizationId });
  while ((await search.search(alias, { size: 0, query: { match_phrase: { title } } })).total < 1) await sleep(50);
}

/** A small encoder (100 steps: the indexing cost of a vector does not depend on its quality). */
async function trainBenchEncoder(db: Knex, modelsDir: string, log: ReturnType<typeof createLogger>): Promise<Encoder> {
  phase('training a text encoder');
  await trainAndSaveEncoder(db, modelsDir, log, { steps: 100, activate: true });
  return (await loadActiveEncoder(db))!;
}

export async function benchCdc(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { candidates: { type: 'string', default: '20000' }, quick: { type: 'boolean', default: false }, 'no-vectors': { type: 'boolean', default: false } } });
  // As `meridian start` runs it: with a trained encoder, every document carries its vector.
  const vectors = values['no-vectors'] !== true;
  const quick = values.quick === true;
  const candidates = quick ? 2_000 : Number(values.candidates);
  const steadySeconds = quick ? 5 : 20;
  const burst = quick ? 5_000 : 50_000;
  const base = loadConfig();
  const log = createLogger('warn');
  await servicesUp(base, log);

  const prefix = 'bench_cdc_';
  const { url, release } = await freshDatabase(base, log, 'meridian_bench_cdc');
  const search = new OpenSearchBackend(base.search.url);
  await deleteIndicesWithPrefix(base.search.url, prefix);
  const db = createDb(base, log, { url, poolMax: 20 });
  await loadDemo(url, { seed: 5, candidates, asOf: new Date('2026-11-01T00:00:00Z') });
  const encoder = vectors ? await trainBenchEncoder(db, path.join(base.home, 'bench-models', 'cdc'), log) : undefined;

  const env = { ...process.env, DATABASE_URL: url, SEARCH_URL: base.search.url, INDEX_PREFIX: prefix, LOG_LEVEL: process.env.BENCH_INDEXER_LOG_LEVEL ?? 'warn' };
  const meridian = (command: string[]): ChildProcess => spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/meridian.js'), ...command], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const indexer = meridian(['indexer']);
  try {
    phase('waiting for the first backfill');
    // First start: the indexer creates its slot and backfills both indices.
    while (Number((await db('search_index_builds').where({ status: 'active' }).count({ n: '*' }))[0]!.n) < 2) await sleep(200);

    phase('reindexing candidates');
    // Backfill rate: a full rebuild of the candidates index while the stream runs.
    const candidateDocs = Number((await db('candidates').count({ n: '*' }))[0]!.n);
    let started = performance.now();
    await new Promise<void>((resolve, reject) => meridian(['reindex', 'candidates']).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`reindex exited ${code}`)))));
    const backfillDocsPerS = candidateDocs / ((performance.now() - started) / 1000);

    phase('raw bulk');
    // The ceiling: the same documents, already built, bulk-written straight to the engine.
    const ids = (await db('candidates').orderBy('id').pluck('id')) as string[];
    const docs: LoadedDocument[] = [];
    for (let i = 0; i < ids.length; i += 500) docs.push(...(await loadDocuments(db, 'candidates', ids.slice(i, i + 500))).filter((d) => d.searchable));
    // The same vectors the indexer sends, computed before the clock starts: this is the engine's rate.
    if (encoder) for (const d of docs) d.document.embedding = Array.from(encoder.embedOne(candidateText(d.document)));
    const scratch = `${prefix}raw_bulk`;
    await search.createIndex(scratch, indexDefinition('candidates', await search.supportsVectors()));
    started = performance.now();
    // 500-document requests, as many in flight as the indexer keeps (one request is indexed on
    // one engine thread).
    let nextRequest = 0;
    await Promise.all(Array.from({ length: BULK_REQUESTS_IN_FLIGHT }, async () => {
      for (let i = nextRequest++ * 500; i < docs.length; i = nextRequest++ * 500) {
        await search.bulk(scratch, docs.slice(i, i + 500).map((d) => ({ action: 'index' as const, id: d.id, version: 1, document: d.document })));
      }
    }));
    await search.refresh(scratch);
    const rawBulkDocsPerS = docs.length / ((performance.now() - started) / 1000);
    await search.deleteIndex(scratch);

    phase('freshness under 1,000 changes/s');
    // Freshness under a steady 1,000 row changes/s: background updates of candidates, and
    // every 100 ms a probe row whose commit time is known, searched for until it appears.
    const opportunities = (await db('opportunities').orderBy('id').pluck('id')) as string[];
    const org = (await db('organizations').first('id')).id as string;
    const alias = aliasName(prefix, 'opportunities');
    const freshness: number[] = [];
    let running = true;
    const background = (async () => {
      let n = 0;
      while (running) {
        const tick = performance.now();
        const batch = ids.slice((n * 100) % ids.length, ((n * 100) % ids.length) + 100);
        await db('candidates').whereIn('id', batch).update({ headline: `steady ${n}` });
        n++;
        await sleep(Math.max(0, 100 - (performance.now() - tick)));
      }
    })();
    // One poller for every probe in flight (one search each 20 ms), so that measuring does not
    // itself load the engine.
    const outstanding = new Map<string, number>();
    let probing = true;
    const poller = (async () => {
      while (probing || outstanding.size > 0) {
        if (outstanding.size > 0) {
          const tokens = [...outstanding.keys()];
          const found = await search.search(alias, { size: tokens.length, _source: ['source'], query: { terms: { source: tokens } } });
          const now = performance.now();
          for (const hit of found.hits) {
            const token = String(hit.source.source);
            const committed = outstanding.get(token);
            if (committed !== undefined) {
              freshness.push(now - committed);
              outstanding.delete(token);
            }
          }
          for (const [token, committed] of outstanding) {
            if (now - committed > 30_000) {
              freshness.push(30_000);
              outstanding.delete(token);
            }
          }
        }
        await sleep(20);
      }
    })();
    const steadyEnd = Date.now() + steadySeconds * 1000;
    for (let p = 0; Date.now() < steadyEnd; p++) {
      const token = `probe${p}x${Date.now().toString(36)}`;
      await db('opportunities').where({ id: opportunities[p % opportunities.length] }).update({ source: token });
      outstanding.set(token, performance.now());
      await sleep(100);
    }
    running = false;
    probing = false;
    await background;
    await poller;
    freshness.sort((a, b) => a - b);

    // Index operations the engine performed on the candidates index: how many document
    // writes a burst cost (coalescing makes it fewer than the changes; candidates who are not
    // searchable are deletes, which this does not count).
    const candidatesAlias = aliasName(prefix, 'candidates');
    const indexOperations = async () => {
      const stats = await (await fetch(`${base.search.url}/${candidatesAlias}/_stats/indexing`)).json() as { _all: { primaries: { indexing: { index_total: number } } } };
      return stats._all.primaries.indexing.index_total;
    };
    // The embedded Postgres: the postmaster and every process it forked (a server named by
    // DATABASE_URL is not measured).
    const postmaster = base.database.embedded ? Number((await readFile(path.join(base.home, 'postgres', 'data', 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]) || undefined : undefined;
    const cpuByProcess = () => ({ engine: cpuMs({ pattern: OPENSEARCH_PROCESS }), indexer: cpuMs({ pid: indexer.pid! }), postgres: postmaster ? cpuMs({ pid: postmaster }) : undefined });
    const timedBurst = async (rounds: number, burstIds: string[], label: string) => {
      const writesBefore = await indexOperations();
      const cpuBefore = cpuByProcess();
      const t = performance.now();
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < burstIds.length; i += 1000) await db('candidates').whereIn('id', burstIds.slice(i, i + 1000)).update({ headline: `${label} ${round}` });
      }
      await waitForEverythingBefore(db, search, alias, org);
      const seconds = (performance.now() - t) / 1000;
      const cpuAfter = cpuByProcess();
      const spent = (part: keyof ReturnType<typeof cpuByProcess>) => (cpuBefore[part] === undefined || cpuAfter[part] === undefined ? null : Math.round(cpuAfter[part]! - cpuBefore[part]!) / 1000);
      const documentsWritten = (await indexOperations()) - writesBefore;
      const cpuS = { engine: spent('engine'), indexer: spent('indexer'), postgres: spent('postgres') };
      return {
        changes: burstIds.length * rounds, documents: burstIds.length, rounds, seconds: Math.round(seconds * 10) / 10, documents_written: documentsWritten, changes_per_s: Math.round((burstIds.length * rounds) / seconds),
        cpu_s: cpuS, engine_cpu_ms_per_document: cpuS.engine === null ? null : Math.round((cpuS.engine * 1000 / documentsWritten) * 100) / 100,
      };
    };

    phase('burst of distinct documents');
    // Every change a different document: the rate is the engine's, whatever the indexer does.
    const distinctBurst = await timedBurst(1, ids.slice(0, Math.min(ids.length, burst)), 'distinct');
    phase('burst');
    // Highest sustained rate: a burst of row changes (every candidate's headline, in rounds,
    // so documents change more than once, as they do under batch jobs), timed until every one
    // is searchable.
    const burstIds = ids.slice(0, Math.min(ids.length, burst));
    const burstResult = await timedBurst(Math.ceil(burst / burstIds.length), burstIds, 'burst');
    const maxChangesPerS = burstResult.changes_per_s;
    // One transaction touching every candidate skill row: the indexer writes it in slices while
    // the stream is paused (flow control), so its memory must not grow with the transaction.
    phase('one big transaction');
    const bigRows = Number((await db('candidate_skills').count({ n: '*' }))[0]!.n);
    started = performance.now();
    await db.raw("UPDATE candidate_skills SET years_of_experience = coalesce(years_of_experience, 0) + 1");
    await waitForEverythingBefore(db, search, alias, org);
    const bigTransactionSeconds = (performance.now() - started) / 1000;
    phase('done');
    const lag = await slotLag(db, slotNameFor(url));

    const status = await readFile(`/proc/${indexer.pid}/status`, 'utf8');
    const peakRssMb = Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    process.stdout.write(JSON.stringify({
      bench: 'cdc',
      candidates,
      freshness_ms: { p50: Math.round(percentile(freshness, 50)), p95: Math.round(percentile(freshness, 95)), p99: Math.round(percentile(freshness, 99)), samples: freshness.length, background_changes_per_s: 1000 },
      max_changes_per_s: Math.round(maxChangesPerS),
      burst: burstResult,
      burst_distinct_documents: distinctBurst,
      backfill_docs_per_s: Math.round(backfillDocsPerS),
      raw_bulk_docs_per_s: Math.round(rawBulkDocsPerS),
      backfill_vs_raw: Math.round((backfillDocsPerS / rawBulkDocsPerS) * 100) / 100,
      peak_rss_mb: peakRssMb,
      big_transaction: { rows: bigRows, seconds_to_searchable: Math.round(bigTransactionSeconds * 10) / 10 },
      slot_lag_bytes_after: lag.lagBytes,
      vectors: encoder ? `${encoder.config.dimension}-dimensional, encoder ${encoder.version}` : false,
      quick,
      machine: machine(),
    }) + '\n');
  } finally {
    indexer.kill('SIGTERM');
    await new Promise((resolve) => indexer.once('exit', resolve));
    await db.destroy();
    await release();
    await search.close();
  }
}
