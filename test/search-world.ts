/**
 * One demo world for every search-API test file: a database with demo data, both indices
 * built from it by the indexer's backfill, and the API listening on an ephemeral port with
 * its clock pinned to the world's "today". Built once per run, on first use.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { harness } from './harness.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { loadDemo } from '../src/db/seed/load.js';
import { OpenSearchBackend } from '../src/search/opensearch.js';
import { aliasName } from '../src/search/indices.js';
import type { SearchBackend } from '../src/search/backend.js';
import { currentWalLsn, reindex, writeTargets } from '../indexers/backfill.js';
import { writeRoots } from '../indexers/writer.js';
import { createApi, type MeridianApp } from '../src/api/app.js';
import { signToken, type Role } from '../src/api/tokens.js';
import type { Encoder } from '../src/matching/encoder.js';

export const WORLD_AS_OF = new Date('2026-11-01T00:00:00Z');
export const WORLD_CANDIDATES = 1500;
const SECRET = 'search-world-secret-0123456789-0123456789';

export interface SearchWorld {
  db: Knex;
  search: SearchBackend;
  prefix: string;
  app: MeridianApp;
  base: string;
  token(claims: { sub: string; org?: string; roles: Role[] }): string;
  /** GET with a bearer token; the parsed JSON body and status. */
  get(path: string, token?: string): Promise<{ status: number; body: any; headers: Headers }>;
  send(method: string, path: string, token: string | undefined, body?: unknown, contentType?: string): Promise<{ status: number; body: any }>;
  /** Makes a user who is an active member of `org` (with search rights unless told otherwise). */
  member(org: string, options?: { canSearch?: boolean; status?: string }): Promise<string>;
  /** Re-indexes rows after a test changed them in Postgres (what the stream would do). */
  reindexRows(type: 'candidates' | 'opportunities', ids: string[]): Promise<void>;
  /** A user with a candidate profile (no consent, so not in the index) for beneficiary tokens. */
  beneficiary(category: string | null): Promise<string>;
  /** Another API on the same database with another search backend (e.g. one that is down), another clock or a text encoder; close it when done. */
  apiWith(search: SearchBackend, options?: { now?: Date; encoder?: Encoder }): Promise<{ base: string; close(): Promise<void> }>;
}

let world: Promise<SearchWorld> | undefined;
let counter = 0;

async function build(): Promise<SearchWorld> {
  const url = await harness().createDatabase('search');
  const db = createDb(harness().config, harness().log, { url });
  await migrateLatest(db);
  await loadDemo(url, { seed: 5, candidates: WORLD_CANDIDATES, asOf: WORLD_AS_OF });
  const search = new OpenSearchBackend(harness().config.search.url);
  const prefix = `${harness().config.search.indexPrefix}api_`;
  const deps = { db, search, log: harness().log, prefix };
  await reindex(deps, 'candidates');
  await reindex(deps, 'opportunities');
  await search.refresh(aliasName(prefix, 'candidates'));
  await search.refresh(aliasName(prefix, 'opportunities'));
  const config = { ...harness().config, database: { ...harness().config.database, url }, search: { ...harness().config.search, indexPrefix: prefix }, api: { ...harness().config.api, rateLimitPerMinute: 1_000_000 } };
  // reindexRows writes the index synchronously: no lag to allow for when stored sets are checked.
  const app = createApi({ config, db, search, log: harness().log, authSecret: SECRET, now: () => WORLD_AS_OF, indexLagMarginMs: 0 });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  harness().atEnd(async () => {
    await new Promise((resolve) => server.close(resolve));
    await app.flush();
    await search.close();
    await db.destroy();
  });
  const parse = async (response: Response) => {
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  };
  return {
    db, search, prefix, app, base,
    token: (claims) => signToken(claims, SECRET),
    async get(path, token) {
      const response = await fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: response.status, body: await parse(response), headers: response.headers };
    },
    async send(method, path, token, body, contentType = 'application/json') {
      const response = await fetch(base + path, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': contentType }) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, body: await parse(response) };
    },
    async member(org, options = {}) {
      const n = ++counter;
      const [user] = await db('users').insert({ email: `member-${n}-${harness().runId}@example.org`, first_name: 'Test', last_name: `Member ${n}`, user_type: 'HR_PARTNER' }).returning('id');
      await db('organization_members').insert({ organization_id: org, user_id: user.id, role: 'recruiter', can_search: options.canSearch ?? true, status: options.status ?? 'active' });
      return user.id as string;
    },
    async reindexRows(type, ids) {
      const lsn = await currentWalLsn(db);
      await writeRoots(deps, type, await writeTargets(deps, type), new Map(ids.map((id) => [id, lsn])), { refresh: true });
    },
    async apiWith(other, options = {}) {
      const now = options.now ?? WORLD_AS_OF;
      const second = createApi({ config, db, search: other, log: harness().log, authSecret: SECRET, now: () => now, indexLagMarginMs: 0, encoder: options.encoder });
      const listening: Server = second.listen(0, '127.0.0.1');
      await new Promise((resolve) => listening.once('listening', resolve));
      return {
        base: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`,
        close: async () => {
          await new Promise((resolve) => listening.close(resolve));
          await second.flush();
        },
      };
    },
    async beneficiary(category) {
      const n = ++counter;
      const [user] = await db('users').insert({ email: `seeker-${n}-${harness().runId}@example.org`, first_name: 'Test', last_name: `Seeker ${n}`, user_type: 'BENEFICIARY' }).returning('id');
      await db('candidates').insert({ user_id: user.id, candidate_type: 'beneficiary', category });
      return user.id as string;
    },
  };
}

export function searchWorld(): Promise<SearchWorld> {
  world ??= build();
  return world;
}

/**
 * Beneficiaries the ranker has something to work with: consented to matching, a national
 * mover with a location, an education and at least three skills. By id (`descending` from the
 * other end), skipping `offset` and the candidates in `except`.
 */
export async function rankableSeekers(world: SearchWorld, options: { limit: number; offset?: number; descending?: boolean; except?: string[] }): Promise<Array<{ candidate: string; user: string; token: string }>> {
  const { rows } = await world.db.raw(`
    SELECT c.id AS candidate, c.user_id AS "user" FROM candidates c JOIN users u ON u.id = c.user_id
    WHERE c.candidate_type = 'beneficiary' AND c.location_id IS NOT NULL AND c.education_level IS NOT NULL AND c.mobility = 'national'
      AND NOT (c.id = ANY(?::uuid[]))
      AND EXISTS (SELECT 1 FROM consent_records cr WHERE cr.user_id = u.id AND cr.consent_type = 'matching' AND cr.granted AND cr.revoked_at IS NULL)
      AND (SELECT count(*) FROM candidate_skills cs WHERE cs.candidate_id = c.id) >= 3
    ORDER BY c.id ${options.descending ? 'DESC' : 'ASC'} OFFSET ? LIMIT ?`, [options.except ?? [], options.offset ?? 0, options.limit]);
  return rows.map((row: { candidate: string; user: string }) => ({ ...row, token: world.token({ sub: row.user, roles: ['beneficiary'] }) }));
}
