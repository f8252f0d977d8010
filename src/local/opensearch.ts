/**
 * The local OpenSearch node. There is no Docker engine on the machines Meridian is built on,
 * so the node is assembled from Maven Central:
 *
 *   org.opensearch.distribution.integ-test-zip:opensearch:2.19.1:zip   the server, no JDK,
 *                                                   only the transport-netty4 module
 *   org.opensearch.plugin:analysis-common:2.19.1         english/french analysers, synonyms
 *   org.opensearch.plugin:mapper-extras-client:2.19.1    scaled_float, rank_feature, search_as_you_type
 *   org.opensearch.plugin:lang-painless:2.19.1           scripts (+ antlr4-runtime, asm, painless-spi)
 *   org.opensearch.plugin:opensearch-knn:2.19.1.0:zip    knn_vector with engine=lucene
 *                                                   (the Maven zip has no native faiss/nmslib)
 *
 * The three modules are published as plain jars, not plugin zips, so we lay each out as a
 * module directory with its own plugin-descriptor.properties. Downloads go through `mvn`
 * (./maven.ts); the assembled node lives in $MERIDIAN_HOME.
 */
import fs from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Config } from '../config.js';
import { ServiceError } from '../errors.js';
import type { Logger } from '../log.js';
import { artifactFileName, fetchArtifacts, unzip, type MavenArtifact } from './maven.js';
import { detectJavaHome, ensureOwnedDir, readPidFile, readTail, serviceAccount, sleep, stopByPidFile, type Account } from './process.js';

export const OPENSEARCH_VERSION = '2.19.1';
export const KNN_VERSION = '2.19.1.0';

interface Artifact extends MavenArtifact {
  /** Module directory the jar belongs to; undefined for the distribution and the k-NN zip. */
  module?: string;
}

const ASM = ['asm', 'asm-util', 'asm-tree', 'asm-commons', 'asm-analysis'];

export const ARTIFACTS: readonly Artifact[] = [
  { groupId: 'org.opensearch.distribution.integ-test-zip', artifactId: 'opensearch', version: OPENSEARCH_VERSION, type: 'zip' },
  { groupId: 'org.opensearch.plugin', artifactId: 'opensearch-knn', version: KNN_VERSION, type: 'zip' },
  { groupId: 'org.opensearch.plugin', artifactId: 'analysis-common', version: OPENSEARCH_VERSION, type: 'jar', module: 'analysis-common' },
  { groupId: 'org.opensearch.plugin', artifactId: 'mapper-extras-client', version: OPENSEARCH_VERSION, type: 'jar', module: 'mapper-extras' },
  { groupId: 'org.opensearch.plugin', artifactId: 'lang-painless', version: OPENSEARCH_VERSION, type: 'jar', module: 'lang-painless' },
  { groupId: 'org.opensearch.plugin', artifactId: 'opensearch-scripting-painless-spi', version: OPENSEARCH_VERSION, type: 'jar', module: 'lang-painless' },
  { groupId: 'org.antlr', artifactId: 'antlr4-runtime', version: '4.13.1', type: 'jar', module: 'lang-painless' },
  ...ASM.map((artifactId): Artifact => ({ groupId: 'org.ow2.asm', artifactId, version: '9.7', type: 'jar', module: 'lang-painless' })),
];

/** Descriptors of the modules we assemble (class names read from the published jars). */
const MODULES: Record<string, { classname: string; extended: string; policy?: string }> = {
  'lang-painless': {
    classname: 'org.opensearch.painless.PainlessPlugin',
    extended: '',
    // Painless compiles scripts to bytecode in its own class loader.
    policy: 'grant {\n  permission java.lang.RuntimePermission "createClassLoader";\n  permission java.lang.RuntimePermission "getClassLoader";\n};\n',
  },
  'analysis-common': { classname: 'org.opensearch.analysis.common.CommonAnalysisPlugin', extended: 'lang-painless' },
  'mapper-extras': { classname: 'org.opensearch.index.mapper.MapperExtrasPlugin', extended: '' },
};

export interface OpenSearchPaths {
  root: string;
  downloads: string;
  install: string;
  config: string;
  data: string;
  logs: string;
  tmp: string;
  pidFile: string;
  stdout: string;
}

export function openSearchPaths(config: Config): OpenSearchPaths {
  const root = path.join(config.home, 'opensearch');
  return {
    root,
    downloads: path.join(root, 'downloads'),
    install: path.join(root, `opensearch-${OPENSEARCH_VERSION}`),
    config: path.join(root, 'config'),
    data: path.join(root, 'data'),
    logs: path.join(root, 'logs'),
    tmp: path.join(root, 'tmp'),
    pidFile: path.join(root, 'run', 'opensearch.pid'),
    stdout: path.join(root, 'logs', 'stdout.log'),
  };
}

const fileName = artifactFileName;

/** Unpacks the server and lays out the modules and the k-NN plugin; idempotent via a marker. */
async function assemble(paths: OpenSearchPaths, log: Logger): Promise<void> {
  const marker = path.join(paths.install, '.meridian-assembled');
  if (await fs.access(marker).then(() => true, () => false)) return;
  log.info('opensearch: assembling the node', { install: paths.install });
  await fs.rm(paths.install, { recursive: true, force: true });
  await unzip(path.join(paths.downloads, `opensearch-${OPENSEARCH_VERSION}.zip`), paths.root);
  for (const [name, descriptor] of Object.entries(MODULES)) {
    const dir = path.join(paths.install, 'modules', name);
    await fs.mkdir(dir, { recursive: true });
    for (const artifact of ARTIFACTS.filter((a) => a.module === name)) {
      await fs.copyFile(path.join(paths.downloads, fileName(artifact)), path.join(dir, fileName(artifact)));
    }
    await fs.writeFile(path.join(dir, 'plugin-descriptor.properties'), [
      `description=${name}, assembled by Meridian from its Maven Central jar`,
      `version=${OPENSEARCH_VERSION}`,
      `name=${name}`,
      `classname=${descriptor.classname}`,
      'java.version=11',
      `opensearch.version=${OPENSEARCH_VERSION}`,
      `extended.plugins=${descriptor.extended}`,
      'has.native.controller=false',
      '',
    ].join('\n'));
    if (descriptor.policy) await fs.writeFile(path.join(dir, 'plugin-security.policy'), descriptor.policy);
  }
  await unzip(path.join(paths.downloads, `opensearch-knn-${KNN_VERSION}.zip`), path.join(paths.install, 'plugins', 'opensearch-knn'));
  for (const script of await fs.readdir(path.join(paths.install, 'bin'))) {
    await fs.chmod(path.join(paths.install, 'bin', script), 0o755);
  }
  await fs.writeFile(marker, new Date().toISOString() + '\n');
}

async function writeNodeConfig(config: Config, paths: OpenSearchPaths, account: Account | undefined): Promise<void> {
  // OpenSearch writes its keystore into the config directory.
  await ensureOwnedDir(paths.config, account);
  const yml = `# written by meridian (src/local/opensearch.ts); rewritten at every start
cluster.name: meridian-local
node.name: meridian-1
path.data: ${paths.data}
path.logs: ${paths.logs}
network.host: 127.0.0.1
http.port: ${config.search.port}
transport.port: ${config.search.transportPort}
discovery.type: single-node
# A development machine's disk is shared with everything else: never go read-only on it.
cluster.routing.allocation.disk.threshold_enabled: false
action.auto_create_index: false
indices.query.bool.max_clause_count: 4096
`;
  // A small heap leaves most of the 24 GiB to the page cache, which Lucene lives on.
  const jvm = `-Xms${config.search.heapMb}m
-Xmx${config.search.heapMb}m
-XX:+UseG1GC
-XX:G1ReservePercent=25
-XX:InitiatingHeapOccupancyPercent=30
-Djava.io.tmpdir=\${OPENSEARCH_TMPDIR}
-XX:+HeapDumpOnOutOfMemoryError
-XX:HeapDumpPath=${paths.logs}
-XX:ErrorFile=${paths.logs}/hs_err_pid%p.log
18-:-Djava.security.manager=allow
-Djava.util.concurrent.ForkJoinPool.common.threadFactory=org.opensearch.secure_sm.SecuredForkJoinWorkerThreadFactory
`;
  await fs.writeFile(path.join(paths.config, 'opensearch.yml'), yml);
  await fs.writeFile(path.join(paths.config, 'jvm.options'), jvm);
  await fs.copyFile(path.join(paths.install, 'config', 'log4j2.properties'), path.join(paths.config, 'log4j2.properties'));
  if (account) {
    for (const file of await fs.readdir(paths.config)) await fs.chown(path.join(paths.config, file), account.uid, account.gid);
  }
}


export interface SearchStatus {
  reachable: boolean;
  embedded: boolean;
  url: string;
  engine: string;
  version?: string;
  distribution?: string;
  plugins?: string[];
  status?: string;
  error?: string;
}

export async function searchStatus(config: Config): Promise<SearchStatus> {
  const url = config.search.url.replace(/\/\/[^@/]*@/, '//***@');
  const base = { embedded: config.search.embedded, url, engine: config.search.engine };
  try {
    const info = await getJson(config.search.url, '/');
    const health = await getJson(config.search.url, '/_cluster/health');
    // Modules count too: analysis-common, mapper-extras and lang-painless are modules here.
    const nodes = (await getJson(config.search.url, '/_nodes/_local/plugins')) as { nodes: Record<string, { plugins?: Array<{ name: string }>; modules?: Array<{ name: string }> }> };
    const node = Object.values(nodes.nodes)[0];
    const plugins = [...(node?.modules ?? []), ...(node?.plugins ?? [])].map((p) => p.name).sort();
    const version = (info as { version?: { number?: string; distribution?: string } }).version;
    return { ...base, reachable: true, version: version?.number, distribution: version?.distribution ?? 'elasticsearch', status: (health as { status: string }).status, plugins };
  } catch (error) {
    return { ...base, reachable: false, error: (error as Error).message };
  }
}

async function getJson(baseUrl: string, pathname: string): Promise<unknown> {
  const response = await fetch(new URL(pathname, baseUrl), { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`${pathname} answered HTTP ${response.status}`);
  return response.json();
}

/** Fetches, assembles and starts the node unless it is already answering; idempotent. */
export async function startOpenSearch(config: Config, log: Logger, timeoutMs = 180_000): Promise<void> {
  const existing = await searchStatus(config);
  if (existing.reachable) {
    log.info('opensearch: already running', { port: config.search.port, version: existing.version });
    return;
  }
  const paths = openSearchPaths(config);
  // A node that is alive but too busy to answer within the probe's timeout (a loaded machine,
  // a long GC) must not get a twin: a second node on the same home overwrites the pid file,
  // fails on the locked data directory or the bound port, and deletes the pid file as it
  // exits, leaving the first node unmanageable. Wait for the one that is there instead.
  const running = await readPidFile(paths.pidFile);
  if (running !== undefined || (await acceptsConnections(config.search.port))) {
    log.warn('opensearch: a node is running but not answering yet; waiting for it instead of starting another', { pid: running, port: config.search.port });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const status = await searchStatus(config);
      if (status.reachable && status.status !== 'red') return;
      await sleep(1000);
    }
    throw new ServiceError('opensearch_unresponsive', `Something holds port ${config.search.port}${running ? ` (OpenSearch, pid ${running})` : ''} but does not answer as OpenSearch; stop it (npm run services:down) or set OPENSEARCH_PORT`);
  }
  const account = await serviceAccount(config.serviceUser);
  await fs.mkdir(paths.root, { recursive: true });
  await fetchArtifacts(ARTIFACTS, paths.downloads, 'OpenSearch', log);
  await assemble(paths, log);
  for (const dir of [paths.data, paths.logs, paths.tmp, path.dirname(paths.pidFile)]) await ensureOwnedDir(dir, account);
  await writeNodeConfig(config, paths, account);

  log.info('opensearch: starting', { port: config.search.port, heapMb: config.search.heapMb });
  const javaHome = config.javaHome ?? (await detectJavaHome());
  const out = openSync(paths.stdout, 'a');
  const child = spawn(path.join(paths.install, 'bin', 'opensearch'), ['-p', paths.pidFile], {
    cwd: paths.root,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, OPENSEARCH_PATH_CONF: paths.config, OPENSEARCH_TMPDIR: paths.tmp, ...(javaHome ? { JAVA_HOME: javaHome } : {}), OPENSEARCH_JAVA_OPTS: '' },
    ...(account ? { uid: account.uid, gid: account.gid } : {}),
  });
  closeSync(out);
  let exitCode: number | null | undefined;
  child.on('exit', (code) => (exitCode = code));
  child.unref();

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await searchStatus(config);
    if (status.reachable && status.status !== 'red') {
      log.info('opensearch: ready', { version: status.version, plugins: status.plugins });
      return;
    }
    if (exitCode !== undefined) break;
    await sleep(1000);
  }
  const tail = (await readTail(paths.stdout, 40)) || (await readTail(path.join(paths.logs, 'meridian-local.log'), 40));
  throw new ServiceError('opensearch_start_failed', `OpenSearch did not become ready on port ${config.search.port}${exitCode !== undefined ? ` (exited with ${exitCode})` : ''}:\n${tail}`);
}

/** Whether anything accepts TCP connections on the loopback port. */
function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(false));
  });
}

export async function stopOpenSearch(config: Config, log: Logger): Promise<boolean> {
  const { pidFile } = openSearchPaths(config);
  const pid = await readPidFile(pidFile);
  if (pid !== undefined) log.info('opensearch: stopping', { pid });
  return stopByPidFile(pidFile);
}

/** Deletes the node's data (indices); the assembled binaries stay. */
export async function wipeOpenSearchData(config: Config): Promise<void> {
  await fs.rm(openSearchPaths(config).data, { recursive: true, force: true });
}
