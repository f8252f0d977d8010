/**
 * The demo data generator: deterministic (same seed and as-of date → byte-identical data),
 * covering all five systems, loaded in one transaction that refuses a non-empty database.
 */
import { expect } from 'chai';
import pg from 'pg';
import { harness } from './harness.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { generateDemo } from '../src/db/seed/generate.js';
import { loadDemo } from '../src/db/seed/load.js';
import { MeridianError } from '../src/errors.js';

const AS_OF = new Date('2026-11-01T00:00:00Z');
const CANDIDATES = 400;

async function generatorChecksum(seed: number): Promise<string> {
  const result = await generateDemo({ seed, candidates: CANDIDATES, asOf: AS_OF }, { async write() {} });
  return result.checksum;
}

async function migratedDatabase(suffix: string): Promise<string> {
  const url = await harness().createDatabase(suffix);
  const db = createDb(harness().config, harness().log, { url });
  await migrateLatest(db);
  await db.destroy();
  return url;
}

/** md5 over every row of every table, each table in a fixed order. */
async function contentChecksums(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE 'knex%' ORDER BY 1`);
    const sums: Record<string, string> = {};
    for (const { t } of tables) {
      const { rows } = await client.query<{ n: number; sum: string | null }>(`SELECT count(*)::int AS n, md5(string_agg(x::text, E'\\n' ORDER BY x::text)) AS sum FROM ${t} x`);
      sums[t] = `${rows[0]!.n}:${rows[0]!.sum}`;
    }
    return sums;
  } finally {
    await client.end();
  }
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('demo data', function () {
  this.timeout(300_000);
  let first: string;
  let firstResult: Awaited<ReturnType<typeof loadDemo>>;

  before(async () => {
    first = await migratedDatabase('seed_a');
    firstResult = await loadDemo(first, { seed: 7, candidates: CANDIDATES, asOf: AS_OF });
  });

  it('is deterministic: the same seed gives the same generator output, another seed does not', async () => {
    const [a, b, c] = await Promise.all([generatorChecksum(7), generatorChecksum(7), generatorChecksum(8)]);
    expect(a).to.equal(b);
    expect(a).to.equal(firstResult.checksum);
    expect(c).to.not.equal(a);
  });

  it('loads byte-identical tables for the same seed in another database', async () => {
    const second = await migratedDatabase('seed_b');
    await loadDemo(second, { seed: 7, candidates: CANDIDATES, asOf: AS_OF });
    const [sumsA, sumsB] = await Promise.all([contentChecksums(first), contentChecksums(second)]);
    expect(sumsB).to.deep.equal(sumsA);
    const empty = Object.entries(sumsA).filter(([, v]) => v.startsWith('0:')).map(([k]) => k);
    // Tables the pipelines, the indexer or the API fill; the generator leaves them empty.
    const filledLater = ['metrics_company_period', 'platform_metrics', 'cohort_metrics', 'ml_model_versions', 'notifications', 'activity_logs', 'security_events', 'event_deduplication', 'webhook_deduplication', 'api_request_deduplication', 'user_permissions', 'candidate_references', 'document_verifications', 'training_program_skills', 'safety_flags', 'search_index_builds', 'search_dead_letters', 'search_indexer_stats', 'saved_search_hits', 'pipeline_runs', 'pipeline_watermarks', 'company_metrics_months', 'company_metrics_language_months', 'recommendation_sets'];
    expect(empty.filter((t) => !filledLater.includes(t)), 'tables the demo should fill').to.deep.equal([]);
  });

  it('satisfies every foreign key (the loader skips per-row FK triggers, so prove it set-wise)', async () => {
    const fks = await query<{ child: string; column: string; parent: string; parent_column: string }>(first, `
      SELECT c.conrelid::regclass::text AS child, a.attname AS column, c.confrelid::regclass::text AS parent, pa.attname AS parent_column
      FROM pg_constraint c
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
      WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace AND array_length(c.conkey, 1) = 1`);
    expect(fks.length).to.be.greaterThan(100);
    const dangling: string[] = [];
    for (const fk of fks) {
      const [{ n }] = await query<{ n: number }>(first, `SELECT count(*)::int AS n FROM ${fk.child} x WHERE x.${fk.column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${fk.parent} p WHERE p.${fk.parent_column} = x.${fk.column})`);
      if (n > 0) dangling.push(`${fk.child}.${fk.column} → ${fk.parent}: ${n}`);
    }
    expect(dangling).to.deep.equal([]);
  });

  it('covers the five systems: every organisation type, opportunity type, category and CEFR level', async () => {
    const distinct = async (sql: string) => (await query<{ v: string }>(first, sql)).map((r) => r.v).sort();
    expect(await distinct('SELECT DISTINCT type::text AS v FROM organizations')).to.have.members(['csr_company', 'employer', 'government', 'institution', 'ngo', 'private_sector', 'sponsor', 'training_provider']);
    expect(await distinct('SELECT DISTINCT type::text AS v FROM opportunities')).to.have.length(9);
    expect(await distinct('SELECT DISTINCT category::text AS v FROM candidates WHERE category IS NOT NULL')).to.have.length(6);
    expect(await distinct('SELECT DISTINCT candidate_type::text AS v FROM candidates')).to.have.members(['beneficiary', 'job_seeker', 'participant', 'professional', 'student']);
    expect(await distinct('SELECT DISTINCT cefr_level::text AS v FROM candidate_languages')).to.have.members(['A1', 'A2', 'B1', 'B2', 'C1', 'C2']);
    expect(await distinct('SELECT DISTINCT country::text AS v FROM locations')).to.include.members(['CM', 'NG', 'ZA', 'DE', 'FR']);
    expect(await distinct('SELECT DISTINCT language AS v FROM opportunities')).to.have.members(['en', 'fr']);
    expect(await distinct('SELECT DISTINCT status::text AS v FROM recommendations')).to.have.members(['abandoned', 'applied', 'clicked', 'dismissed', 'generated', 'viewed']);
    const [{ n }] = await query<{ n: number }>(first, 'SELECT count(*)::int AS n FROM candidates c WHERE NOT EXISTS (SELECT 1 FROM candidate_skills s WHERE s.candidate_id = c.id)');
    expect(n, 'candidates without skills').to.equal(0);
    const [{ skills }] = await query<{ skills: number }>(first, "SELECT count(*)::int AS skills FROM skills WHERE jsonb_array_length(synonyms) > 0");
    expect(skills).to.be.greaterThan(200);
  });

  it('refuses a database that already has data, and replaces it with --reset', async () => {
    try {
      await loadDemo(first, { seed: 9, candidates: 60, asOf: AS_OF });
      expect.fail('loaded into a non-empty database');
    } catch (error) {
      expect(error).to.be.instanceOf(MeridianError);
      expect((error as MeridianError).code).to.equal('database_not_empty');
    }
    const reset = await loadDemo(first, { seed: 9, candidates: 60, asOf: AS_OF, reset: true });
    const [{ n }] = await query<{ n: number }>(first, 'SELECT count(*)::int AS n FROM candidates');
    expect(n).to.equal(60);
    expect(reset.rows).to.be.greaterThan(600);
  });

  it('rolls back entirely when a batch fails: nothing half-written', async () => {
    const url = await migratedDatabase('seed_fail');
    // A constraint that some candidate late in the stream breaks makes the load fail after
    // organisations and opportunities went in. (A check, not a trigger: the loader may run
    // with triggers off, but constraints always hold.)
    await query(url, 'ALTER TABLE candidates ADD CONSTRAINT injected_failure CHECK (years_experience < 29)');
    try {
      await loadDemo(url, { seed: 7, candidates: 5_000, asOf: AS_OF });
      expect.fail('the load should have failed');
    } catch (error) {
      expect((error as MeridianError).code).to.equal('seed_failed');
      expect((error as Error).message).to.match(/injected_failure/);
    }
    const [{ users, orgs }] = await query<{ users: number; orgs: number }>(url, 'SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM organizations)::int AS orgs');
    expect({ users, orgs }).to.deep.equal({ users: 0, orgs: 0 });
  });
});
