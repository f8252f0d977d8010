/**
 * One world for every reporting-API test file: demo data with every metrics job run in full,
 * and the API listening on an ephemeral port with its clock at REPORTS_AS_OF. Built once per
 * run, on first use. Tests that change rows put them back.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { expect } from 'chai';
import { harness } from './harness.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { loadDemo } from '../src/db/seed/load.js';
import { OpenSearchBackend } from '../src/search/opensearch.js';
import { createApi } from '../src/api/app.js';
import { signToken, type Role, type TokenClaims } from '../src/api/tokens.js';
import { runJob } from '../pipelines/runner.js';
import { METRICS_JOBS } from '../pipelines/schedule.js';

export const REPORTS_AS_OF = new Date('2026-11-01T12:00:00Z');
const SECRET = 'reports-secret-0123456789-0123456789-0123';

export interface ReportsWorld {
  db: Knex;
  /** The company-quarter with the most placements (every outcome has evidence to show). */
  company: string;
  period: { type: string; start: string };
  /** Another company with metrics. */
  otherCompany: string;
  /** A funder of `company` and an administrator, both active members where it applies. */
  funder: string;
  admin: string;
  get(path: string, token?: string, accept?: string): Promise<{ status: number; text: string; body: any; headers: Headers }>;
  /** A token for a new user, an active member of `org` when one is given. */
  tokenFor(roles: Role[], org?: string): Promise<string>;
  /** A token as signed for this world's API, for any claims (no user or membership made). */
  sign(claims: Omit<TokenClaims, 'iat' | 'exp'>): string;
  /** Runs every metrics job in full again, as of REPORTS_AS_OF. */
  rerunMetrics(): Promise<void>;
}

let world: Promise<ReportsWorld> | undefined;

async function build(): Promise<ReportsWorld> {
  const url = await harness().createDatabase('reports');
  const db = createDb(harness().config, harness().log, { url });
  await migrateLatest(db);
  await loadDemo(url, { seed: 4, candidates: 1500, asOf: new Date('2026-11-01T00:00:00Z') });
  const rerunMetrics = async () => {
    for (const job of METRICS_JOBS) {
      const result = await runJob({ db, log: harness().log, now: () => REPORTS_AS_OF }, job, { mode: 'full' });
      expect(result.status, `${job.name}: ${result.error}`).to.equal('succeeded');
    }
  };
  await rerunMetrics();
  const best = await db('metrics_company_period').where({ period_type: 'quarter' }).whereNotNull('sroi_ratio').orderBy([{ column: 'placements_count', order: 'desc' }, 'organization_id', 'period_start']).first();
  const company = best.organization_id as string;
  const otherCompany = (await db('metrics_company_period').whereNot({ organization_id: company }).first('organization_id')).organization_id as string;
  const search = new OpenSearchBackend(harness().config.search.url);
  const app = createApi({ config: { ...harness().config, database: { ...harness().config.database, url } }, db, search, log: harness().log, authSecret: SECRET, now: () => REPORTS_AS_OF });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  harness().atEnd(async () => {
    await new Promise((resolve) => server.close(resolve));
    await app.flush();
    await search.close();
    await db.destroy();
  });
  const sign = (claims: Omit<TokenClaims, 'iat' | 'exp'>) => signToken(claims, SECRET);
  const tokenFor = async (roles: Role[], org?: string) => {
    const [user] = await db('users').insert({ email: `reports-${Math.random().toString(36).slice(2)}@example.org`, first_name: 'Report', last_name: 'Reader', user_type: 'COMPANY_USER' }).returning('id');
    if (org) await db('organization_members').insert({ organization_id: org, user_id: user.id, status: 'active' });
    return sign({ sub: user.id, ...(org ? { org } : {}), roles });
  };
  return {
    db, company, otherCompany, rerunMetrics, tokenFor, sign,
    period: { type: 'quarter', start: best.period_start.toISOString().slice(0, 10) },
    funder: await tokenFor(['funder'], company),
    admin: await tokenFor(['administrator']),
    async get(path, token, accept = 'application/json') {
      const response = await fetch(base + path, { headers: { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
      const text = await response.text();
      return { status: response.status, text, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined, headers: response.headers };
    },
  };
}

export function reportsWorld(): Promise<ReportsWorld> {
  world ??= build();
  return world;
}
