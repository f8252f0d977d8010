import { expect } from 'chai';
import type { Knex } from 'knex';
import { harness } from './harness.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest, rollback } from '../src/db/migrate.js';
import { inRolledBackTransaction } from './helpers.js';
import { GRAPH, SOURCE_TABLES } from '../indexers/graph.js';

/** Every table of DESIGN §3. */
const DESIGN_TABLES = [
  'users', 'roles', 'permissions', 'role_permissions', 'user_roles', 'user_permissions', 'organizations', 'organization_members',
  'locations', 'candidates', 'skills', 'industries', 'candidate_skills', 'candidate_experience', 'candidate_education',
  'candidate_certifications', 'candidate_languages', 'candidate_references', 'opportunities', 'opportunity_skills',
  'training_programs', 'cohorts', 'cohort_enrollments', 'document_verifications', 'recommendations', 'applications',
  'introduction_requests', 'placements', 'talent_pools', 'saved_searches', 'favorites', 'referrals', 'search_queries',
  'profile_views', 'analytics_events', 'notifications', 'notification_preferences', 'programs', 'program_enrollments',
  'sessions', 'buddy_matches', 'buddy_events', 'buddy_checkins', 'buddy_feedback', 'learning_progress', 'outcome_scores',
  'evidence_snippets', 'investments', 'sroi_value_maps', 'metrics_company_period', 'platform_metrics', 'cohort_metrics',
  'consent_records', 'audit_logs', 'activity_logs', 'security_events', 'safety_flags', 'data_sources', 'ml_model_versions',
  'external_id_mappings', 'event_deduplication', 'webhook_deduplication', 'api_request_deduplication',
  'subscription_plans', 'company_subscriptions', 'payments',
];

async function schemaFingerprint(db: Knex): Promise<{ tables: string[]; fingerprint: string; types: number }> {
  const tables = (await db.raw<{ rows: Array<{ t: string }> }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`)).rows.map((r) => r.t);
  const { rows } = await db.raw<{ rows: Array<{ f: string }> }>(`
    SELECT md5(string_agg(x, '|' ORDER BY x)) AS f FROM (
      SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable || ':' || coalesce(column_default, '') AS x
        FROM information_schema.columns WHERE table_schema = current_schema()
      UNION ALL SELECT conrelid::regclass::text || ':' || conname || ':' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
      UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()
    ) s`);
  const types = (await db.raw<{ rows: Array<{ n: number }> }>(`SELECT count(*)::int AS n FROM pg_type WHERE typnamespace = current_schema()::regnamespace AND typtype = 'e'`)).rows[0]!.n;
  return { tables, fingerprint: rows[0]!.f, types };
}

describe('schema', () => {
  it('covers every table of DESIGN §3', async () => {
    const { tables } = await schemaFingerprint(harness().db);
    const missing = DESIGN_TABLES.filter((t) => !tables.includes(t));
    expect(missing).to.deep.equal([]);
  });

  it('round-trips: migrate, rollback --all, migrate gives the same schema', async () => {
    const url = await harness().createDatabase('roundtrip');
    const db = createDb(harness().config, harness().log, { url });
    try {
      await migrateLatest(db);
      const first = await schemaFingerprint(db);
      expect(first.tables.length).to.be.greaterThan(DESIGN_TABLES.length);
      expect(first.types).to.be.greaterThan(40);
      await rollback(db, true);
      const empty = await schemaFingerprint(db);
      expect(empty.tables.filter((t) => !t.startsWith('knex_migrations'))).to.deep.equal([]);
      expect(empty.types, 'enum types left behind by down()').to.equal(0);
      const publications = await db.raw<{ rows: unknown[] }>(`SELECT 1 FROM pg_publication WHERE pubname = 'meridian_search'`);
      expect(publications.rows).to.have.length(0);
      await migrateLatest(db);
      const second = await schemaFingerprint(db);
      expect(second.fingerprint).to.equal(first.fingerprint);
    } finally {
      await db.destroy();
    }
  });

  it('indexes every foreign key', async () => {
    const { rows } = await harness().db.raw<{ rows: Array<{ c: string }> }>(`
      SELECT c.conrelid::regclass::text || '.' || a.attname AS c
      FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])`);
    expect(rows.map((r) => r.c)).to.deep.equal([]);
  });

  it('stamps updated_at on update, and on every table that has the column', async () => {
    const db = harness().db;
    const { rows } = await db.raw<{ rows: Array<{ t: string }> }>(`
      SELECT c.table_name AS t FROM information_schema.columns c
      WHERE c.table_schema = current_schema() AND c.column_name = 'updated_at'
        AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = (quote_ident(c.table_name))::regclass AND g.tgname = c.table_name || '_updated_at')`);
    expect(rows.map((r) => r.t), 'tables without an updated_at trigger').to.deep.equal([]);
    await inRolledBackTransaction(db, async (trx) => {
      const [location] = await trx('locations').insert({ country: 'CM', region: 'Littoral', city: 'Douala', latitude: 4.05, longitude: 9.7, updated_at: '2020-01-01T00:00:00Z' }).returning('*');
      expect(new Date(location.updated_at).getUTCFullYear()).to.equal(2020);
      await trx('locations').where({ id: location.id }).update({ city: 'Douala V' });
      const after = await trx('locations').where({ id: location.id }).first();
      expect(new Date(after.updated_at).getUTCFullYear()).to.be.greaterThan(2020);
    });
  });

  it('publishes every table that feeds a search document, children with full replica identity', async () => {
    const db = harness().db;
    const { rows } = await db.raw<{ rows: Array<{ tablename: string }> }>(`SELECT tablename FROM pg_publication_tables WHERE pubname = 'meridian_search'`);
    const published = rows.map((r) => r.tablename);
    // Every table the indexer's document graph listens to must be published…
    expect(SOURCE_TABLES.filter((table) => !published.includes(table))).to.deep.equal([]);
    // …and every child table whose parent column the graph reads must carry its old row in
    // full, or a row moved to another parent would leave the old parent stale.
    const children = GRAPH.filter((edge) => edge.kind === 'direct' && edge.column !== 'id').map((edge) => edge.table);
    const full = await db.raw<{ rows: Array<{ relname: string }> }>(`SELECT relname FROM pg_class WHERE relname = ANY(?) AND relreplident = 'f' AND relnamespace = current_schema()::regnamespace`, [children]);
    expect(full.rows.map((r) => r.relname).sort()).to.deep.equal([...new Set(children)].sort());
  });
});
