/**
 * Regression: a local node that is alive but too slow to answer the reachability probe (a
 * loaded machine) once got a twin started on the same home, which overwrote the pid file and
 * deleted it on exit, leaving the running node unmanageable. A port that something holds is
 * now waited on, never started over. The "node" here is a real TCP listener that accepts
 * connections and never answers.
 */
import { expect } from 'chai';
import net from 'node:net';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { openSearchPaths, startOpenSearch } from '../src/local/opensearch.js';

describe('starting the local OpenSearch', () => {
  it('waits for a node that holds the port without answering, and never starts a second one', async () => {
    const silent = net.createServer(() => undefined); // accepts, never replies
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'meridian-os-start-'));
    try {
      const config = loadConfig({ ...process.env, MERIDIAN_HOME: home, OPENSEARCH_PORT: String(port), SEARCH_URL: '', DATABASE_URL: '' });
      const started = Date.now();
      const error = await startOpenSearch(config, createLogger('error'), 2_500).then(() => undefined, (e: Error & { code?: string }) => e);
      expect(error?.code, String(error)).to.equal('opensearch_unresponsive');
      expect(error!.message).to.include(String(port));
      expect(Date.now() - started).to.be.at.least(2_000);
      // Nothing was fetched, assembled or started for a second node.
      const root = openSearchPaths(config).root;
      expect(await fs.stat(root).then(() => true, () => false)).to.equal(false);
    } finally {
      silent.close();
      await fs.rm(home, { recursive: true, force: true });
    }
  });
});
