/**
 * The services scripts start, report status and stop — exercised through the real CLI on a
 * second, private pair of servers (own MERIDIAN_HOME and ports), so the servers the rest of
 * the run uses are not disturbed.
 */
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import pg from 'pg';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import { JOBS, METRICS_JOBS } from '../pipelines/schedule.js';

const execFileAsync = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function meridian(args: string[], env: Record<string, string>): Promise<CliResult> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [path.join(PROJECT_ROOT, 'bin/meridian.js'), ...args], { env: { ...process.env, ...env }, timeout: 400_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('services scripts', function () {
  this.timeout(600_000);
  let home: string;
  let env: Record<string, string>;

  before(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'meridian-services-'));
    // World-traversable, so the unprivileged service account can reach its directories.
    await fs.chmod(home, 0o755);
    env = {
      MERIDIAN_HOME: home, PG_PORT: '54339', OPENSEARCH_PORT: '9260', OPENSEARCH_TRANSPORT_PORT: '9360', OPENSEARCH_HEAP_MB: '512',
      DATABASE_URL: '', SEARCH_URL: '',
    };
  });

  after(async () => {
    await meridian(['services', 'down'], env);
    await fs.rm(home, { recursive: true, force: true });
  });

  it('reports stopped services with a non-zero status', async () => {
    const result = await meridian(['services', 'status'], env);
    expect(result.code).to.equal(3);
    const status = JSON.parse(result.stdout);
    expect(status.postgres.reachable).to.equal(false);
    expect(status.search.reachable).to.equal(false);
  });

  it('starts Postgres with logical replication and OpenSearch with the modules the indices need', async () => {
    const result = await meridian(['services', 'up'], env);
    expect(result.code, result.stderr).to.equal(0);
    const status = JSON.parse(result.stdout);
    expect(status.postgres).to.include({ reachable: true, walLevel: 'logical' });
    expect(status.postgres.version).to.match(/^16\./);
    expect(status.search).to.include({ reachable: true, version: '2.19.1', distribution: 'opensearch' });
    expect(status.search.plugins).to.include.members(['analysis-common', 'lang-painless', 'mapper-extras', 'opensearch-knn']);
  });

  it('reuses running services on a second `up`', async () => {
    const result = await meridian(['services', 'up'], env);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.match(/postgres: already running/);
    expect(result.stderr).to.match(/opensearch: already running/);
  });

  it('serves English and French analysis and Lucene k-NN on the assembled node', async () => {
    const base = 'http://127.0.0.1:9260';
    const analyze = await fetch(`${base}/_analyze`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ analyzer: 'french', text: 'développeurs' }) });
    expect((await analyze.json()).tokens[0].token).to.equal('developeu');
    const create = await fetch(`${base}/knn_probe`, {
      method: 'PUT', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { index: { knn: true } }, mappings: { properties: { v: { type: 'knn_vector', dimension: 2, method: { name: 'hnsw', engine: 'lucene', space_type: 'cosinesimil' } } } } }),
    });
    expect(create.status).to.equal(200);
  });

  it('`start` migrates, seeds an empty database, serves the API and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/meridian.js'), 'start', '--candidates', '200'], {
      env: { ...process.env, ...env, API_PORT: '8097' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 240_000;
      while (!output.includes('Meridian is running') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 250));
      expect(output, output).to.include('Meridian is running');
      expect(output).to.include('http://127.0.0.1:8097');
      const health = await fetch('http://127.0.0.1:8097/health');
      expect(health.status).to.equal(200);
      expect(await health.json()).to.deep.include({ status: 'ok' });
      const client = new pg.Client({ connectionString: 'postgres://meridian:meridian@127.0.0.1:54339/meridian' });
      await client.connect();
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM candidates');
      expect(rows[0]!.n).to.equal(200);
      // An encoder is trained on first start, so documents and recommendations carry vectors.
      expect((await client.query(`SELECT version FROM ml_model_versions WHERE model_name = 'text-encoder' AND status = 'active'`)).rows).to.have.length(1);
      // The pipelines catch up at start: every metrics job has a successful run and metrics
      // exist; every other job has run or skipped (the ranker's retraining without feedback,
      // the recommendations while the indexer is still building the index), never failed.
      const ran = async (status: string) => (await client.query<{ job: string }>(`SELECT DISTINCT job FROM pipeline_runs WHERE status = ANY($1) ORDER BY job`, [status.split(',')])).rows.map((r) => r.job);
      const until = Date.now() + 90_000;
      while ((await ran('succeeded,skipped,failed')).length < JOBS.length && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
      expect(await ran('succeeded')).to.include.members(METRICS_JOBS.map((job) => job.name));
      expect(await ran('succeeded,skipped')).to.have.members(JOBS.map((job) => job.name));
      expect(await ran('failed')).to.deep.equal([]);
      expect((await client.query<{ n: number }>('SELECT count(*)::int AS n FROM metrics_company_period')).rows[0]!.n).to.be.greaterThan(0);
      await client.end();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).to.equal(0);
  });

  it('stops both and reports them stopped', async () => {
    const down = await meridian(['services', 'down'], env);
    expect(down.code, down.stderr).to.equal(0);
    expect(JSON.parse(down.stdout)).to.deep.equal({ postgres: true, search: true, elasticsearch: false });
    const status = await meridian(['services', 'status'], env);
    expect(status.code).to.equal(3);
  });
});
