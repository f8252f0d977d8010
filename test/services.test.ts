/**
 * The services scripts start, report status and stop — exercised through the real CLI on a
 * second, private pair of servers (own MERIDIAN_HOME and ports), so the servers the rest of
 * the run uses are not disturbed.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';

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

  it('stops both and reports them stopped', async () => {
    const down = await meridian(['services', 'down'], env);
    expect(down.code, down.stderr).to.equal(0);
    expect(JSON.parse(down.stdout)).to.deep.equal({ postgres: true, search: true });
    const status = await meridian(['services', 'status'], env);
    expect(status.code).to.equal(3);
  });
});
