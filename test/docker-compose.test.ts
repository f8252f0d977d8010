/**
 * docker-compose.yml is for people with Docker; nobody runs it here (there is no Docker
 * engine), so this keeps it valid and in step with the code: services, versions, logical
 * replication, dependencies, volumes, ports and the environment the service reads.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ENVIRONMENT, PROJECT_ROOT } from '../src/config.js';
import { OPENSEARCH_VERSION } from '../src/local/opensearch.js';
import { ELASTICSEARCH_VERSION } from '../src/local/elasticsearch.js';

interface Service {
  image?: string;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | number | { published?: string | number; target?: number; host_ip?: string; protocol?: string }>;
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  profiles?: string[];
  healthcheck?: { test?: string | string[] };
}

interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const FILE = path.join(PROJECT_ROOT, 'docker-compose.yml');

function load(): Compose {
  const document = parseDocument(readFileSync(FILE, 'utf8'), { uniqueKeys: true });
  if (document.errors.length > 0) throw new Error(`docker-compose.yml does not parse: ${document.errors.map((e) => e.message).join('; ')}`);
  return document.toJS() as Compose;
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => {
      const at = entry.indexOf('=');
      return at === -1 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

function commandOf(service: Service): string {
  return Array.isArray(service.command) ? service.command.join(' ') : service.command ?? '';
}

/** The host side of each published port as "ip:port/protocol", from short or long syntax. */
function publishedPorts(service: Service): string[] {
  const published: string[] = [];
  for (const port of service.ports ?? []) {
    if (typeof port === 'object') {
      if (port.published === undefined) continue;
      published.push(`${port.host_ip ?? '0.0.0.0'}:${port.published}/${port.protocol ?? 'tcp'}`);
      continue;
    }
    const [spec, protocol = 'tcp'] = String(port).split('/');
    const parts = spec!.split(':');
    // "container" alone publishes on a random host port: nothing to collide.
    if (parts.length === 1) continue;
    const hostPort = parts[parts.length - 2]!;
    const hostIp = parts.length === 3 ? parts[0]! : '0.0.0.0';
    published.push(`${hostIp}:${hostPort}/${protocol}`);
  }
  return published;
}

/** Named volumes a service mounts (not bind mounts of host paths). */
function namedVolumes(service: Service): string[] {
  const names: string[] = [];
  for (const volume of service.volumes ?? []) {
    if (typeof volume === 'object') {
      if ((volume.type ?? 'volume') === 'volume' && volume.source) names.push(volume.source);
      continue;
    }
    const parts = volume.split(':');
    if (parts.length < 2) continue; // an anonymous volume
    const source = parts[0]!;
    if (!/^[.~/]/.test(source)) names.push(source);
  }
  return names;
}

describe('docker-compose.yml', function () {
  let compose: Compose;

  before(function () {
    compose = load();
  });

  it('parses, with a services map', function () {
    expect(compose).to.be.an('object');
    expect(compose.services).to.be.an('object');
  });

  it('defines postgres, opensearch, elasticsearch and meridian, each with an image', function () {
    for (const name of ['postgres', 'opensearch', 'elasticsearch', 'meridian']) {
      expect(compose.services, name).to.have.property(name);
      expect(compose.services[name]!.image, `${name}.image`).to.be.a('string').and.not.equal('');
    }
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.image, `${name}.image`).to.be.a('string').and.not.equal('');
    }
  });

  it('runs the Elasticsearch version the tests check the adapter on (ELASTICSEARCH_VERSION)', function () {
    const image = compose.services.elasticsearch!.image!;
    expect(/^(?:.*\/)?elasticsearch:(.+)$/.exec(image)?.[1], `the image "${image}"`).to.equal(ELASTICSEARCH_VERSION);
  });

  it('runs the same OpenSearch version as the local node (OPENSEARCH_VERSION)', function () {
    const image = compose.services.opensearch!.image!;
    const match = /^(?:.*\/)?opensearch:(.+)$/.exec(image);
    expect(match, `unexpected OpenSearch image "${image}"`).to.not.equal(null);
    expect(match![1]).to.equal(OPENSEARCH_VERSION);
    const env = environmentOf(compose.services.opensearch!);
    expect(env['discovery.type']).to.equal('single-node');
    expect(env.DISABLE_SECURITY_PLUGIN).to.equal('true');
    expect(env.OPENSEARCH_INITIAL_ADMIN_PASSWORD).to.be.a('string').and.not.equal('');
  });

  it('keeps Elasticsearch optional, behind a profile', function () {
    expect(compose.services.elasticsearch!.profiles).to.include('elasticsearch');
    expect(environmentOf(compose.services.elasticsearch!)['xpack.security.enabled']).to.equal('false');
  });

  it('starts Postgres with logical replication', function () {
    const command = commandOf(compose.services.postgres!);
    expect(command).to.match(/(^|\s)wal_level=logical(\s|$)/);
    expect(command).to.match(/max_replication_slots=\d+/);
    expect(command).to.match(/max_wal_senders=\d+/);
  });

  it('has a healthcheck on every service another one waits for', function () {
    for (const [name, service] of Object.entries(compose.services)) {
      const dependsOn = service.depends_on;
      if (!dependsOn || Array.isArray(dependsOn)) continue;
      for (const [target, { condition }] of Object.entries(dependsOn)) {
        if (condition === 'service_healthy') expect(compose.services[target]?.healthcheck?.test, `${name} waits for ${target}`).to.exist;
      }
    }
  });

  it('depends only on defined services, and never on one hidden behind a profile', function () {
    for (const [name, service] of Object.entries(compose.services)) {
      const targets = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const target of targets) {
        expect(compose.services, `${name} depends on ${target}`).to.have.property(target);
        if (!service.profiles) expect(compose.services[target]!.profiles, `${name} depends on profiled ${target}`).to.equal(undefined);
      }
    }
    expect(Object.keys(compose.services.meridian!.depends_on ?? {})).to.include.members(['postgres', 'opensearch']);
  });

  it('declares every named volume it mounts', function () {
    const declared = Object.keys(compose.volumes ?? {});
    const used = Object.values(compose.services).flatMap(namedVolumes);
    expect(used).to.not.be.empty;
    for (const volume of used) expect(declared, `volume ${volume}`).to.include(volume);
  });

  it('publishes no host port twice', function () {
    const seen = new Map<string, string>();
    for (const [name, service] of Object.entries(compose.services)) {
      for (const port of publishedPorts(service)) {
        const [ip, rest] = [port.slice(0, port.lastIndexOf(':')), port.slice(port.lastIndexOf(':') + 1)];
        // 0.0.0.0 overlaps every address, so compare on the port when either side uses it.
        for (const [other, owner] of seen) {
          const [otherIp, otherRest] = [other.slice(0, other.lastIndexOf(':')), other.slice(other.lastIndexOf(':') + 1)];
          const overlap = ip === otherIp || ip === '0.0.0.0' || otherIp === '0.0.0.0';
          expect(overlap && rest === otherRest, `${name} and ${owner} both publish ${rest}`).to.equal(false);
        }
        seen.set(port, name);
      }
    }
    expect(seen.size).to.be.greaterThan(0);
  });

  it('points the service at the compose Postgres and OpenSearch, with variables config.ts knows', function () {
    const env = environmentOf(compose.services.meridian!);
    const known = new Set(ENVIRONMENT.map((variable) => variable.name));
    for (const key of Object.keys(env)) expect(known.has(key), `meridian reads no ${key}`).to.equal(true);
    const database = new URL(env.DATABASE_URL!);
    expect(database.hostname).to.equal('postgres');
    expect(database.port).to.equal('5432');
    const search = new URL(env.SEARCH_URL!);
    expect(search.hostname).to.equal('opensearch');
    expect(search.port).to.equal('9200');
    expect(env.SEARCH_ENGINE).to.equal('opensearch');
    expect(env.API_HOST).to.equal('0.0.0.0');
    const apiPort = env.API_PORT ?? '8080';
    // The container side of a mapping must be the port the API listens on.
    const targets = (compose.services.meridian!.ports ?? []).map((port) =>
      typeof port === 'object' ? String(port.target) : String(port).split('/')[0]!.split(':').pop());
    expect(targets).to.include(apiPort);
  });
});
