/**
 * `npm run bench -- peer-pgsync [--candidates N]`: Meridian's indexer and PGSync (PyPI
 * `pgsync`, the best-known open tool for Postgres → OpenSearch) side by side, in one run, on
 * the same schema subset (opportunities with their organisation and skills), the same data
 * and the same OpenSearch. Each tool runs alone in its phase, so they do not share the cores:
 *   - initial load: documents/s from start to every opportunity searchable;
 *   - freshness: a probe change every 100 ms, commit → searchable, p50/p95/p99;
 *   - throughput: every opportunity updated R times, timed until the last value is searchable.
 * PGSync needs Redis and a Python virtualenv: this script installs both when missing
 * (`apt-get install redis-server`, `pip install pgsync==7.3.0` into .meridian/peers/).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { servicesUp } from '../../src/local/services.js';
import { createDb } from '../../src/db/knex.js';
import { loadDemo } from '../../src/db/seed/load.js';
import { OpenSearchBackend } from '../../src/search/opensearch.js';
import { machine } from '../machine.js';
import { freshDatabase } from '../database.js';
import { deleteIndicesWithPrefix } from '../../src/search/admin.js';

const execFileAsync = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const phase = (name: string) => process.stderr.write(`peer: ${new Date().toISOString().slice(11, 19)} ${name}\n`);
const PGSYNC_VERSION = '7.3.0';
const REDIS_PORT = 6391;

async function ensurePgsync(home: string): Promise<string> {
  const venv = path.join(home, 'peers', 'pgsync-venv');
  const bin = path.join(venv, 'bin');
  if (!existsSync(path.join(bin, 'pgsync'))) {
    phase(`installing pgsync ${PGSYNC_VERSION} into ${venv}`);
    await mkdir(path.dirname(venv), { recursive: true });
    await execFileAsync('python3', ['-m', 'venv', venv]);
    await execFileAsync(path.join(bin, 'pip'), ['install', '-q', `pgsync==${PGSYNC_VERSION}`], { timeout: 600_000 });
  }
  try {
    await execFileAsync('redis-server', ['--version']);
  } catch {
    phase('installing redis-server (PGSync keeps its queue in Redis)');
    await execFileAsync('apt-get', ['install', '-y', 'redis-server'], { timeout: 600_000 });
  }
  return bin;
}

interface Probe {
  /** Number of the index's documents whose `field` matches `value`. */
  count(field: string, value: string): Promise<number>;
}

async function freshness(db: Knex, ids: string[], probe: Probe, seconds: number): Promise<number[]> {
  const samples: number[] = [];
  const outstanding = new Map<string, number>();
  let probing = true;
  const poller = (async () => {
    while (probing || outstanding.size > 0) {
      for (const [token, committed] of outstanding) {
        if ((await probe.count('source', token)) > 0) {
          samples.push(performance.now() - committed);
          outstanding.delete(token);
        } else if (performance.now() - committed > 30_000) {
          samples.push(30_000);
          outstanding.delete(token);
        }
      }
      await sleep(20);
    }
  })();
  const end = Date.now() + seconds * 1000;
  for (let p = 0; Date.now() < end; p++) {
    const token = `probe${p}x${Date.now().toString(36)}`;
    await db('opportunities').where({ id: ids[(p * 7) % ids.length] }).update({ source: token });
    outstanding.set(token, performance.now());
    await sleep(100);
  }
  probing = false;
  await poller;
  return samples.sort((a, b) => a - b);
}

async function throughput(db: Knex, ids: string[], probe: Probe, rounds: number, tag: string): Promise<number> {
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < ids.length; i += 500) await db('opportunities').whereIn('id', ids.slice(i, i + 500)).update({ title: `${tag} ${round}` });
  }
  // Wait for a row inserted after the updates: existing documents can show their last value
  // early (both tools load current rows), a new row appears only once its insert is processed.
  const organization = (await db('organizations').first('id')).id as string;
  const marker = `marker ${tag} ${Date.now().toString(36)}`;
  await db('opportunities').insert({ type: 'INTERNSHIP', title: marker, description: 'marker', organization_id: organization });
  while ((await probe.count('title', marker)) < 1) await sleep(50);
  return (ids.length * rounds) / ((performance.now() - started) / 1000);
}

export async function benchPeerPgsync(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { candidates: { type: 'string', default: '20000' }, seconds: { type: 'string', default: '20' }, rounds: { type: 'string', default: '5' } } });
  const base = loadConfig();
  const log = createLogger('warn');
  await servicesUp(base, log);
  const bin = await ensurePgsync(base.home);
  const database = 'meridian_bench_peer';
  const { url, release } = await freshDatabase(base, log, database);
  const search = new OpenSearchBackend(base.search.url);
  const prefix = 'bench_peer_';
  const pgsyncIndex = 'bench_peer_pgsync_opportunities';
  await deleteIndicesWithPrefix(base.search.url, prefix);
  const db = createDb(base, log, { url, poolMax: 10 });
  await loadDemo(url, { seed: 5, candidates: Number(values.candidates), asOf: new Date('2026-11-01T00:00:00Z') });
  const ids = (await db('opportunities').orderBy('id').pluck('id')) as string[];
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const countIn = (index: string): Probe => ({
    // No forced refresh: "searchable" means what a user's query would see.
    async count(field, value) {
      return (await search.search(index, { size: 0, track_total_hits: true, query: { match_phrase: { [field]: value } } }).catch(() => ({ total: 0 }))).total;
    },
  });
  // Meridian's documents carry more fields; the probe asks each index the same questions.
  const results: Record<string, unknown> = {};
  const children: ChildProcess[] = [];
  try {
    // ---- Meridian
    phase('meridian: initial load');
    let started = performance.now();
    const indexer = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/meridian.js'), 'indexer'], {
      env: { ...process.env, DATABASE_URL: url, SEARCH_URL: base.search.url, INDEX_PREFIX: prefix, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(indexer);
    const meridianAlias = `${prefix}opportunities`;
    while ((await search.count(meridianAlias).catch(() => 0)) < ids.length) await sleep(100);
    const meridianLoad = ids.length / ((performance.now() - started) / 1000);
    phase('meridian: freshness');
    const meridianFresh = await freshness(db, ids, countIn(meridianAlias), seconds);
    phase('meridian: throughput');
    const meridianRate = await throughput(db, ids, countIn(meridianAlias), rounds, 'meridian');
    indexer.kill('SIGTERM');
    await new Promise((resolve) => indexer.once('exit', resolve));
    results.meridian = { initial_docs_per_s: Math.round(meridianLoad), freshness_ms: summary(meridianFresh), changes_per_s: Math.round(meridianRate) };

    // ---- PGSync
    phase('pgsync: bootstrap and initial load');
    const work = path.join(base.home, 'peers', 'pgsync-run');
    await mkdir(work, { recursive: true });
    await writeFile(path.join(work, 'schema.json'), JSON.stringify([{
      database, index: pgsyncIndex,
      nodes: {
        table: 'opportunities', columns: ['title', 'description', 'status', 'sector', 'source', 'updated_at'],
        children: [
          { table: 'organizations', columns: ['name'], relationship: { variant: 'object', type: 'one_to_one', foreign_key: { child: ['id'], parent: ['organization_id'] } } },
          { table: 'skills', columns: ['slug', 'skill_name'], relationship: { variant: 'object', type: 'one_to_many', through_tables: ['opportunity_skills'] } },
        ],
      },
    }], null, 2));
    const parsedDb = new URL(base.database.url);
    const parsedSearch = new URL(base.search.url);
    const env = {
      ...process.env, PG_HOST: parsedDb.hostname, PG_PORT: parsedDb.port || '5432', PG_USER: decodeURIComponent(parsedDb.username), PG_PASSWORD: decodeURIComponent(parsedDb.password),
      OPENSEARCH: 'true', ELASTICSEARCH_HOST: parsedSearch.hostname, ELASTICSEARCH_PORT: parsedSearch.port || '9200', ELASTICSEARCH_SCHEME: parsedSearch.protocol.replace(':', ''),
      REDIS_HOST: '127.0.0.1', REDIS_PORT: String(REDIS_PORT), CHECKPOINT_PATH: work,
    };
    const redis = spawn('redis-server', ['--port', String(REDIS_PORT), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    children.push(redis);
    await sleep(500);
    started = performance.now();
    await execFileAsync(path.join(bin, 'bootstrap'), ['--config', path.join(work, 'schema.json')], { env, cwd: work });
    const daemon = spawn(path.join(bin, 'pgsync'), ['--config', path.join(work, 'schema.json'), '--daemon'], { env, cwd: work, stdio: ['ignore', 'ignore', 'ignore'] });
    children.push(daemon);
    while ((await search.count(pgsyncIndex).catch(() => 0)) < ids.length) await sleep(100);
    const pgsyncLoad = ids.length / ((performance.now() - started) / 1000);
    phase('pgsync: freshness');
    const pgsyncFresh = await freshness(db, ids, countIn(pgsyncIndex), seconds);
    phase('pgsync: throughput');
    const pgsyncRate = await throughput(db, ids, countIn(pgsyncIndex), rounds, 'pgsync');
    const rss = await execFileAsync('ps', ['-o', 'rss=', '-p', String(daemon.pid)]).then((r) => Math.round(Number(r.stdout.trim()) / 1024), () => null);
    results.pgsync = { version: PGSYNC_VERSION, initial_docs_per_s: Math.round(pgsyncLoad), freshness_ms: summary(pgsyncFresh), changes_per_s: Math.round(pgsyncRate), rss_mb: rss };
    await execFileAsync(path.join(bin, 'bootstrap'), ['--teardown', '--config', path.join(work, 'schema.json')], { env, cwd: work }).catch(() => undefined);

    process.stdout.write(JSON.stringify({
      bench: 'peer-pgsync', subset: 'opportunities + organization + skills', opportunities: ids.length, probe_every_ms: 100, freshness_seconds: seconds, rounds, ...results, machine: machine(),
    }) + '\n');
  } finally {
    for (const child of children.reverse()) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([new Promise((resolve) => child.once('exit', resolve)), sleep(5000)]);
      }
    }
    await db.destroy();
    await release();
    await search.close();
  }
}

function summary(sorted: number[]) {
  return { p50: Math.round(percentile(sorted, 50)), p95: Math.round(percentile(sorted, 95)), p99: Math.round(percentile(sorted, 99)), samples: sorted.length };
}
