/**
 * A local Elasticsearch node for the tests, so the Elasticsearch adapter is tested against a
 * real server on every run. Maven Central publishes one runnable
 * Elasticsearch 8 (the version our @elastic/elasticsearch 8 client speaks):
 *
 *   org.elasticsearch.distribution.integ-test-zip:elasticsearch:8.19.21:zip
 *
 * the server without a JDK and with four modules only (transport-netty4, x-pack-core,
 * x-pack-security, apm). It lacks analysis-common (the English and French analysers, ASCII
 * folding, stemmers), lang-painless (scripts) and rest-root (`GET /`), none of which Maven
 * Central publishes for Elasticsearch 8. So the platform cannot run on it, but every call
 * the adapter makes can be checked on it: index creation with the mappings, versioned bulk
 * writes, aliases, searches, counts, scans, `_source` filtering and vector fields; and the
 * indexer and the search API run on it with standard analysers (test/elasticsearch-node.ts).
 * Only the exact vector similarities, a Painless script, need a complete cluster
 * (ELASTICSEARCH_URL).
 *
 * The node runs on the machine's Java 17 as the service account, in $MERIDIAN_HOME.
 */
import fs from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { ServiceError } from '../errors.js';
import type { Logger } from '../log.js';
import { fetchArtifacts, unzip, type MavenArtifact } from './maven.js';
import { detectJavaHome, ensureOwnedDir, readPidFile, readTail, serviceAccount, sleep, stopByPidFile } from './process.js';

export const ELASTICSEARCH_VERSION = '8.19.21';

const DISTRIBUTION: MavenArtifact = { groupId: 'org.elasticsearch.distribution.integ-test-zip', artifactId: 'elasticsearch', version: ELASTICSEARCH_VERSION, type: 'zip' };

function elasticsearchPaths(config: Config) {
  const root = path.join(config.home, 'elasticsearch');
  return {
    root,
    downloads: path.join(root, 'downloads'),
    install: path.join(root, `elasticsearch-${ELASTICSEARCH_VERSION}`),
    config: path.join(root, 'config'),
    data: path.join(root, 'data'),
    logs: path.join(root, 'logs'),
    tmp: path.join(root, 'tmp'),
    pidFile: path.join(root, 'run', 'elasticsearch.pid'),
    stdout: path.join(root, 'logs', 'stdout.log'),
  };
}

export const localElasticsearchUrl = (config: Config): string => `http://127.0.0.1:${config.elasticsearch.port}`;

/** The node's health, or undefined when nothing answers (this distribution has no `GET /`). */
async function health(url: string): Promise<{ status: string } | undefined> {
  try {
    const response = await fetch(new URL('/_cluster/health', url), { signal: AbortSignal.timeout(3000) });
    if (!response.ok) return undefined;
    return (await response.json()) as { status: string };
  } catch {
    return undefined;
  }
}

async function writeNodeConfig(config: Config, paths: ReturnType<typeof elasticsearchPaths>): Promise<void> {
  // The distribution's own files (log4j2, the security module's empty role files) first.
  for (const file of await fs.readdir(path.join(paths.install, 'config'), { withFileTypes: true })) {
    if (file.isFile()) await fs.copyFile(path.join(paths.install, 'config', file.name), path.join(paths.config, file.name));
  }
  await fs.writeFile(path.join(paths.config, 'elasticsearch.yml'), `# written by meridian (src/local/elasticsearch.ts); rewritten at every start
cluster.name: meridian-contract
node.name: meridian-es-1
path.data: ${paths.data}
path.logs: ${paths.logs}
network.host: 127.0.0.1
http.port: ${config.elasticsearch.port}
transport.port: ${config.elasticsearch.transportPort}
discovery.type: single-node
# A test node on a loopback port: no TLS, no passwords.
xpack.security.enabled: false
# A development machine's disk is shared with everything else: never go read-only on it.
cluster.routing.allocation.disk.threshold_enabled: false
action.auto_create_index: false
`);
  await fs.writeFile(path.join(paths.config, 'jvm.options'), `-Xms${config.elasticsearch.heapMb}m
-Xmx${config.elasticsearch.heapMb}m
-XX:+UseG1GC
-Djava.io.tmpdir=\${ES_TMPDIR}
20-:--add-modules=jdk.incubator.vector
-XX:+HeapDumpOnOutOfMemoryError
-XX:+ExitOnOutOfMemoryError
-XX:HeapDumpPath=${paths.logs}
-XX:ErrorFile=${paths.logs}/hs_err_pid%p.log
`);
}

/**
 * Fetches, unpacks and starts the node unless one answers on the port; returns its URL.
 * Idempotent: a second call finds the first node.
 */
export async function startElasticsearch(config: Config, log: Logger, timeoutMs = 240_000): Promise<string> {
  const url = localElasticsearchUrl(config);
  if (await health(url)) return url;
  const paths = elasticsearchPaths(config);
  const running = await readPidFile(paths.pidFile);
  let exitCode: number | null | undefined;
  if (running === undefined) {
    const account = await serviceAccount(config.serviceUser);
    await fetchArtifacts([DISTRIBUTION], paths.downloads, 'Elasticsearch', log);
    const marker = path.join(paths.install, '.meridian-unpacked');
    if (!(await fs.access(marker).then(() => true, () => false))) {
      await fs.rm(paths.install, { recursive: true, force: true });
      await unzip(path.join(paths.downloads, `elasticsearch-${ELASTICSEARCH_VERSION}.zip`), paths.root);
      for (const script of await fs.readdir(path.join(paths.install, 'bin'))) await fs.chmod(path.join(paths.install, 'bin', script), 0o755);
      await fs.writeFile(marker, new Date().toISOString() + '\n');
    }
    // The node writes its keystore into the config directory.
    for (const dir of [paths.config, paths.data, paths.logs, paths.tmp, path.dirname(paths.pidFile)]) await ensureOwnedDir(dir, account);
    await writeNodeConfig(config, paths);
    if (account) for (const file of await fs.readdir(paths.config)) await fs.chown(path.join(paths.config, file), account.uid, account.gid);

    log.info('elasticsearch: starting', { port: config.elasticsearch.port, heapMb: config.elasticsearch.heapMb });
    const javaHome = config.javaHome ?? (await detectJavaHome());
    const out = openSync(paths.stdout, 'a');
    const child = spawn(path.join(paths.install, 'bin', 'elasticsearch'), ['-p', paths.pidFile], {
      cwd: paths.logs,
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, ES_PATH_CONF: paths.config, ES_TMPDIR: paths.tmp, ...(javaHome ? { ES_JAVA_HOME: javaHome } : {}), ES_JAVA_OPTS: '' },
      ...(account ? { uid: account.uid, gid: account.gid } : {}),
    });
    closeSync(out);
    child.on('exit', (code) => (exitCode = code));
    child.unref();
  } else {
    log.warn('elasticsearch: a node is running but not answering yet; waiting for it', { pid: running });
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await health(url);
    if (status && status.status !== 'red') {
      log.info('elasticsearch: ready', { url, version: ELASTICSEARCH_VERSION });
      return url;
    }
    if (exitCode !== undefined) break;
    await sleep(1000);
  }
  const why = exitCode !== undefined ? `exited with ${exitCode}` : `not ready within ${timeoutMs / 1000} s`;
  throw new ServiceError('elasticsearch_start_failed', `Elasticsearch on port ${config.elasticsearch.port} ${why}:\n${await readTail(paths.stdout, 40)}`);
}

/** Stops the local node if one runs; true when it did. */
export async function stopElasticsearch(config: Config, log: Logger): Promise<boolean> {
  const { pidFile } = elasticsearchPaths(config);
  const pid = await readPidFile(pidFile);
  if (pid !== undefined) log.info('elasticsearch: stopping', { pid });
  return stopByPidFile(pidFile);
}
