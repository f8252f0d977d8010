/**
 * Fetching the local search engines' artifacts from Maven Central. There is no Docker engine
 * on the machines Meridian is built on, and Maven Central is reachable through `mvn`, so the
 * engines are assembled from what it publishes. One `mvn` run fetches every missing artifact;
 * the local Maven repository caches them across installations.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ServiceError } from '../errors.js';
import type { Logger } from '../log.js';
import { run } from './process.js';

export interface MavenArtifact {
  groupId: string;
  artifactId: string;
  version: string;
  type: 'jar' | 'zip';
}

export const artifactFileName = (a: MavenArtifact): string => `${a.artifactId}-${a.version}.${a.type}`;

/**
 * Copies each artifact into `into` as `<artifactId>-<version>.<type>`, fetching only those
 * not there yet. `what` names the engine in log lines and errors ("OpenSearch").
 */
export async function fetchArtifacts(artifacts: readonly MavenArtifact[], into: string, what: string, log: Logger): Promise<void> {
  const missing = [];
  for (const artifact of artifacts) {
    const exists = await fs.access(path.join(into, artifactFileName(artifact))).then(() => true, () => false);
    if (!exists) missing.push(artifact);
  }
  if (missing.length === 0) return;
  await fs.mkdir(into, { recursive: true });
  const dependencies = missing.map((a) => `    <dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId><version>${a.version}</version><type>${a.type}</type></dependency>`).join('\n');
  const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>meridian.local</groupId>
  <artifactId>search-node</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies}
  </dependencies>
</project>
`;
  const pomFile = path.join(into, 'pom.xml');
  await fs.writeFile(pomFile, pom);
  log.info(`${what.toLowerCase()}: fetching artifacts with mvn`, { artifacts: missing.map(artifactFileName) });
  let result;
  try {
    result = await run('mvn', ['-q', '-B', '-f', pomFile, 'dependency:copy-dependencies', '-DexcludeTransitive=true', `-DoutputDirectory=${into}`], { timeoutMs: 600_000 });
  } catch (cause) {
    throw new ServiceError('maven_missing', `mvn is needed to fetch ${what} from Maven Central but could not be run`, cause);
  }
  if (result.code !== 0) {
    throw new ServiceError(`${what.toLowerCase()}_download_failed`, `mvn could not fetch the ${what} artifacts:\n${(result.stdout + result.stderr).split('\n').filter((l) => l.includes('ERROR')).slice(0, 10).join('\n')}`);
  }
}

/** Unpacks a zip with `unzip`, or with the JDK's `jar` tool when there is none. */
export async function unzip(zip: string, into: string): Promise<void> {
  await fs.mkdir(into, { recursive: true });
  const result = await run('unzip', ['-q', '-o', zip, '-d', into]).catch(() => undefined);
  if (result?.code === 0) return;
  // No unzip: the JDK's jar tool reads zips too (but drops the executable bits).
  const viaJar = await run('jar', ['xf', zip], { cwd: into });
  if (viaJar.code !== 0) throw new ServiceError('search_unpack_failed', `Could not unpack ${zip}: ${viaJar.stderr}`);
}
