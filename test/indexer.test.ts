/**
 * The CDC indexer on real Postgres and real OpenSearch: backfill on first start, then every
 * change through the stream — inserts, updates, deletes, a child row moved between parents,
 * a skill rename fanning out, consent revoked, a rolled-back transaction, TOASTed columns,
 * harmless replays and a document the engine rejects.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { harness } from './harness.js';
import { eventually } from './helpers.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { loadDemo } from '../src/db/seed/load.js';
import { OpenSearchBackend } from '../src/search/opensearch.js';
import { aliasName, type DocumentType } from '../src/search/indices.js';
import { createIndexer, slotNameFor, type Indexer } from '../indexers/stream.js';
import { slotLag } from '../src/db/slot.js';
import { writeRoots } from '../indexers/writer.js';
import { listDeadLetters, replayDeadLetters } from '../indexers/dead-letters.js';
import { reconcile } from '../indexers/reconcile.js';
import { SEARCHABLE_CANDIDATE } from '../src/db/documents.js';
import { runBuild, startBuild, type IndexerDeps } from '../indexers/backfill.js';
import { lsnToVersion, type SearchBackend } from '../src/search/backend.js';
import { readFile } from 'node:fs/promises';
import { openSearchPaths } from '../src/local/opensearch.js';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';


describe('CDC indexer', function () {
  this.timeout(180_000);
  let db: Knex;
  let search: SearchBackend;
  let indexer: Indexer;
  let deps: IndexerDeps;
  let url: string;
  let prefix: string;

  const alias = (type: DocumentType) => aliasName(prefix, type);
  const get = (type: DocumentType, id: string) => search.getDocument(alias(type), id);
  const searchable = async (): Promise<number> => {
    const { rows } = await db.raw<{ rows: Array<{ n: number }> }>(`SELECT count(*)::int AS n FROM candidates c JOIN users u ON u.id = c.user_id WHERE ${SEARCHABLE_CANDIDATE}`);
    return rows[0]!.n;
  };
  const aSearchableCandidate = async (offset = 0): Promise<string> => {
    const { rows } = await db.raw<{ rows: Array<{ id: string }> }>(`
      SELECT c.id FROM candidates c JOIN users u ON u.id = c.user_id
      WHERE c.profile_visibility <> 'private' AND u.status <> 'DELETED'
        AND EXISTS (SELECT 1 FROM consent_records cr WHERE cr.user_id = u.id AND cr.consent_type = 'profile_search' AND cr.granted)
        AND (SELECT count(*) FROM candidate_skills s WHERE s.candidate_id = c.id) >= 3
      ORDER BY c.id OFFSET ? LIMIT 1`, [offset]);
    return rows[0]!.id;
  };

  before(async () => {
    url = await harness().createDatabase('cdc');
    db = createDb(harness().config, harness().log, { url });
    await migrateLatest(db);
    await loadDemo(url, { seed: 11, candidates: 300, asOf: new Date('2026-11-01T00:00:00Z') });
    search = new OpenSearchBackend(harness().config.search.url);
    prefix = `${harness().config.search.indexPrefix}cdc_`;
    deps = { db, search, log: harness().log, prefix };
    indexer = createIndexer(deps, { databaseUrl: url, slotName: slotNameFor(url), windowMs: 50, refresh: true });
    await indexer.start();
    await indexer.buildsSettled();
  });

  after(async () => {
    await indexer?.stop();
    await search?.close();
    await db?.destroy();
  });

  it('backfills both indices on first start and points the aliases at them', async () => {
    const [candidates, opportunities] = await Promise.all([search.aliasTargets(alias('candidates')), search.aliasTargets(alias('opportunities'))]);
    expect(candidates).to.have.length(1);
    expect(opportunities).to.have.length(1);
    await search.refresh(alias('candidates'));
    expect(await search.count(alias('candidates'))).to.equal(await searchable());
    const { rows } = await db.raw<{ rows: Array<{ n: number }> }>('SELECT count(*)::int AS n FROM opportunities');
    expect(await search.count(alias('opportunities'))).to.equal(rows[0]!.n);
    const status = await indexer.status();
    expect(status.builds.filter((b) => b.status === 'active')).to.have.length(2);
  });

  it('streams an insert, an update and a delete of a root row', async () => {
    const org = await db('organizations').first('id');
    const [row] = await db('opportunities').insert({ type: 'INTERNSHIP', title: 'Stream probe intern', description: 'Logistics internship in Douala', organization_id: org.id, status: 'active', published_at: new Date() }).returning('id');
    const id = row.id as string;
    await eventually(() => get('opportunities', id), (d) => d?.source.title === 'Stream probe intern', 'the insert');
    await db('opportunities').where({ id }).update({ title: 'Stream probe intern (renamed)' });
    await eventually(() => get('opportunities', id), (d) => d?.source.title === 'Stream probe intern (renamed)', 'the update');
    await db('opportunities').where({ id }).delete();
    await eventually(() => get('opportunities', id), (d) => d === undefined, 'the delete');
  });

  it('rebuilds both parents when a child row moves from one to another', async () => {
    const [a, b] = [await aSearchableCandidate(0), await aSearchableCandidate(1)];
    const child = await db('candidate_skills as cs').join('skills as s', 's.id', 'cs.skill_id').where('cs.candidate_id', a)
      .whereNotIn('cs.skill_id', db('candidate_skills').where({ candidate_id: b }).select('skill_id')).first('cs.id', 's.slug');
    expect(child, 'a skill of A that B lacks').to.not.equal(undefined);
    await db('candidate_skills').where({ id: child.id }).update({ candidate_id: b });
    await eventually(async () => [await get('candidates', a), await get('candidates', b)] as const,
      ([da, dbb]) => !(da?.source.skill_slugs as string[]).includes(child.slug) && (dbb?.source.skill_slugs as string[]).includes(child.slug), 'both parents rebuilt');
  });

  it('fans a skill rename out to every document that uses it', async () => {
    const { rows } = await db.raw<{ rows: Array<{ skill_id: string; n: number }> }>(`
      SELECT os.skill_id, count(*)::int AS n FROM opportunity_skills os GROUP BY 1 ORDER BY 2 DESC LIMIT 1`);
    const { skill_id: skillId, n } = rows[0]!;
    expect(n).to.be.greaterThan(1);
    await db('skills').where({ id: skillId }).update({ skill_name: 'Zanzibar fan-out probe' });
    const count = async () => (await search.search(alias('opportunities'), { size: 0, query: { match_phrase: { skill_labels: 'Zanzibar fan-out probe' } } })).total;
    await eventually(count, (c) => c === n, `${n} opportunities relabelled`);
  });

  it('removes a candidate who withdraws consent to be searched, and restores them', async () => {
    const id = await aSearchableCandidate(2);
    const { user_id: userId } = await db('candidates').where({ id }).first('user_id');
    await db('consent_records').where({ user_id: userId, consent_type: 'profile_search' }).update({ granted: false, revoked_at: new Date() });
    await eventually(() => get('candidates', id), (d) => d === undefined, 'the withdrawal');
    await db('consent_records').where({ user_id: userId, consent_type: 'profile_search' }).update({ granted: true, revoked_at: null });
    await eventually(() => get('candidates', id), (d) => d !== undefined, 'the restored consent');
  });

  it('follows a change through every table that feeds a document', async () => {
    const id = await aSearchableCandidate(8);
    const { user_id: userId, location_id: locationId } = await db('candidates').where({ id }).first('user_id', 'location_id');
    const doc = async () => (await get('candidates', id))?.source ?? {};
    const org = await db('organizations').where({ type: 'employer' }).first('id');
    const opportunity = await db('opportunities').where({ organization_id: org.id }).first('id');
    const institution = await db('organizations').where({ type: 'institution' }).first('id');
    const csr = await db('organizations').where({ type: 'csr_company' }).first('id');

    await db('candidate_languages').insert({ candidate_id: id, language_code: 'sw', cefr_level: 'B1' }).onConflict(['candidate_id', 'language_code']).merge();
    await eventually(doc, (d) => (d.language_codes as string[])?.includes('sw'), 'candidate_languages');
    await db('candidate_experience').insert({ candidate_id: id, company_name: 'Probe Ltd', job_title: 'Harbour pilot probe', employment_type: 'contract', start_date: '2020-01-01', end_date: '2021-01-01' });
    await eventually(doc, (d) => (d.titles as string[])?.includes('Harbour pilot probe'), 'candidate_experience');
    const [pool] = await db('talent_pools').insert({ organization_id: org.id, name: `Probe pool ${Date.now()}` }).returning('id');
    await db('talent_pool_members').insert({ talent_pool_id: pool.id, candidate_id: id });
    await eventually(doc, (d) => (d.talent_pool_ids as string[])?.includes(pool.id), 'talent_pool_members');
    const [intro] = await db('introduction_requests').insert({ opportunity_id: opportunity.id, organization_id: org.id, sent_by_user_id: userId, candidate_id: id, expires_at: new Date(Date.now() + 7 * 86_400_000) }).onConflict(['opportunity_id', 'candidate_id']).merge().returning('id');
    await db('introduction_requests').where({ id: intro.id }).update({ status: 'accepted', response_date: new Date() });
    await eventually(doc, (d) => (d.introduced_organization_ids as string[])?.includes(org.id), 'introduction_requests');
    const [cohort] = await db('cohorts').insert({ institution_id: institution.id, name: `Probe cohort ${Date.now()}`, program_type: 'internship' }).returning('id');
    await db('cohort_enrollments').insert({ cohort_id: cohort.id, user_id: userId });
    await eventually(doc, (d) => (d.cohort_ids as string[])?.includes(cohort.id), 'cohort_enrollments');
    const [program] = await db('programs').insert({ organization_id: csr.id, name: `Probe programme ${Date.now()}`, program_type: 'mentorship' }).returning('id');
    await db('program_enrollments').insert({ program_id: program.id, user_id: userId, program_type: 'mentorship' });
    await eventually(doc, (d) => (d.program_ids as string[])?.includes(program.id), 'program_enrollments');
    await db('users').where({ id: userId }).update({ preferred_language: 'fr' });
    await eventually(doc, (d) => d.preferred_language === 'fr', 'users');
    expect(locationId, 'the probe candidate has a location, for the fan-out check').to.be.a('string');
    await db('locations').where({ id: locationId }).update({ city: 'Probeville' });
    await eventually(doc, (d) => d.city === 'Probeville', 'locations (fan-out)');
    await db('organizations').where({ id: org.id }).update({ name: `Renamed Probe Employer ${Date.now()}` });
    await eventually(async () => (await get('opportunities', opportunity.id))?.source.organization_name as string | undefined, (name) => name?.startsWith('Renamed Probe Employer') === true, 'organizations (fan-out)');
    const required = await db('opportunity_skills as os').join('skills as s', 's.id', 'os.skill_id').where({ 'os.opportunity_id': opportunity.id, 'os.requirement': 'required' }).first('os.id', 's.slug');
    await db('opportunity_skills').where({ id: required.id }).delete();
    await eventually(async () => (await get('opportunities', opportunity.id))?.source.required_skills as string[], (skills) => !skills.includes(required.slug), 'opportunity_skills');
    await db('users').where({ id: userId }).update({ status: 'DELETED', deleted_at: new Date() });
    await eventually(() => get('candidates', id), (d) => d === undefined, 'a deleted user');
  });

  it('resumes an interrupted backfill after its last page, then flips the alias', async () => {
    const PAGE = 25;
    const build = await startBuild(deps, 'opportunities');
    // Interrupt the build after its first page, as a crash would.
    await runBuild(deps, build, (done) => {
      if (done >= PAGE) throw new Error('crash after the first page');
    }, PAGE).catch((error) => expect((error as Error).message).to.equal('crash after the first page'));
    const saved = await db('search_index_builds').where({ id: build.id }).first();
    expect(saved.status).to.equal('building');
    expect(saved.documents).to.equal(PAGE);
    const pages: number[] = [];
    const resumed = await runBuild(deps, await startBuild(deps, 'opportunities'), (done) => pages.push(done), PAGE);
    expect(pages[0], 'the first page after resuming continues the count').to.equal(2 * PAGE);
    const { rows } = await db.raw<{ rows: Array<{ n: number }> }>('SELECT count(*)::int AS n FROM opportunities');
    expect(resumed.documents).to.equal(rows[0]!.n);
    expect(await search.aliasTargets(alias('opportunities'))).to.deep.equal([build.index_name]);
    await search.refresh(alias('opportunities'));
    expect(await search.count(alias('opportunities'))).to.equal(rows[0]!.n);
  });

  it('never indexes a rolled-back transaction', async () => {
    const org = await db('organizations').first('id');
    let rolledBack = '';
    await db.transaction(async (trx) => {
      const [row] = await trx('opportunities').insert({ type: 'MICRO_CREDIT', title: 'Never committed', description: 'x', organization_id: org.id }).returning('id');
      rolledBack = row.id;
      throw new Error('roll back');
    }).catch(() => undefined);
    const [marker] = await db('opportunities').insert({ type: 'MICRO_CREDIT', title: 'Committed marker', description: 'x', organization_id: org.id }).returning('id');
    await eventually(() => get('opportunities', marker.id), (d) => d !== undefined, 'the marker after the rollback');
    expect(await get('opportunities', rolledBack)).to.equal(undefined);
  });

  it('keeps an unchanged TOASTed column when another column is updated', async () => {
    const big = 'Long description. '.repeat(8000);
    const org = await db('organizations').first('id');
    const [row] = await db('opportunities').insert({ type: 'PERMANENT_EMPLOYMENT', title: 'Toast probe', description: big, organization_id: org.id }).returning('id');
    await eventually(() => get('opportunities', row.id), (d) => d?.source.description === big, 'the big insert');
    await db('opportunities').where({ id: row.id }).update({ status: 'paused' });
    const doc = await eventually(() => get('opportunities', row.id), (d) => d?.source.status === 'paused', 'the status update');
    expect(doc!.source.description).to.equal(big);
  });

  it('does not write a document again when a change leaves it as the stream last wrote it', async () => {
    const id = await aSearchableCandidate(9);
    const { user_id: userId } = await db('candidates').where({ id }).first('user_id');
    await db('candidates').where({ id }).update({ headline: 'Written once, then left alone' });
    const written = await eventually(() => get('candidates', id), (d) => d?.source.headline === 'Written once, then left alone', 'the headline');
    const before = (await indexer.status()).written.unchanged;
    // A pending introduction feeds the candidate's document (introduction_requests is in the
    // graph) but only accepted ones show in it: the document the stream loads is the same.
    const { rows: [opportunity] } = await db.raw(`SELECT o.id, o.organization_id FROM opportunities o
      WHERE NOT EXISTS (SELECT 1 FROM introduction_requests ir WHERE ir.opportunity_id = o.id AND ir.candidate_id = ?) ORDER BY o.id LIMIT 1`, [id]);
    await db('introduction_requests').insert({ opportunity_id: opportunity.id, organization_id: opportunity.organization_id, sent_by_user_id: userId, candidate_id: id, expires_at: new Date(Date.now() + 7 * 86_400_000) });
    await eventually(async () => (await indexer.status()).written.unchanged, (n) => n > before, 'the unchanged document to be counted');
    expect((await get('candidates', id))!.version, 'not written again').to.equal(written!.version);
    // A real change after it is written as ever.
    await db('candidates').where({ id }).update({ headline: 'Then changed' });
    const changed = await eventually(() => get('candidates', id), (d) => d?.source.headline === 'Then changed', 'the second headline');
    expect(changed!.version).to.be.greaterThan(written!.version);
  });

  it('treats a replayed older change as harmless', async () => {
    const id = await aSearchableCandidate(3);
    const before = await get('candidates', id);
    const stats = await writeRoots(deps, 'candidates', await search.aliasTargets(alias('candidates')), new Map([[id, '0/1']]));
    expect(stats.stale).to.equal(1);
    const after = await get('candidates', id);
    expect(after!.version).to.equal(before!.version);
  });

  it('dead-letters a document the engine rejects, goes on streaming, and replays it once fixed', async () => {
    const rejected = await aSearchableCandidate(4);
    const fine = await aSearchableCandidate(5);
    // A date Postgres accepts and the engine cannot parse (no four-digit year): a bad row.
    await db('candidates').where({ id: rejected }).update({ headline: 'Rejected by the engine', last_active_at: '10000-01-01T00:00:00Z' });
    await db('candidates').where({ id: fine }).update({ headline: 'Streamed after the rejection' });
    await eventually(() => get('candidates', fine), (d) => d?.source.headline === 'Streamed after the rejection', 'the stream to go on');
    const letters = await eventually(() => listDeadLetters(deps), (l) => l.some((d) => d.root_id === rejected), 'the dead letter');
    const letter = letters.find((d) => d.root_id === rejected)!;
    expect(letter.status_code).to.equal(400);
    expect(letter.error).to.match(/last_active_at/);
    expect((await get('candidates', rejected))?.source.headline).to.not.equal('Rejected by the engine');
    // Replayed while the row is still bad: it fails again and stays open.
    expect(await replayDeadLetters(deps)).to.deep.equal({ replayed: 0, failedAgain: 1 });
    expect((await listDeadLetters(deps)).map((d) => d.root_id)).to.deep.equal([rejected]);
    // Fixed in Postgres: the fix streams in, and the replay writes today's row and closes the letter.
    await db('candidates').where({ id: rejected }).update({ last_active_at: db.fn.now() });
    await eventually(() => get('candidates', rejected), (d) => d?.source.headline === 'Rejected by the engine', 'the fixed row');
    expect(await replayDeadLetters(deps)).to.deep.equal({ replayed: 1, failedAgain: 0 });
    const [index] = await search.aliasTargets(alias('candidates'));
    await search.refresh(index!);
    expect((await get('candidates', rejected))!.source.headline).to.equal('Rejected by the engine');
    expect(await listDeadLetters(deps)).to.have.length(0);
  });

  it('holds its acknowledgement while OpenSearch is down for 30 seconds, then converges', async function () {
    if (!harness().config.search.embedded) this.skip(); // an external cluster is not ours to stop
    const pid = Number(await readFile(openSearchPaths(harness().config).pidFile, 'utf8'));
    const ids = (await db('opportunities').orderBy('id').limit(25).pluck('id')) as string[];
    const before = await indexer.status();
    // SIGSTOP freezes the node: connections hang and time out, as when a cluster dies.
    process.kill(pid, 'SIGSTOP');
    try {
      await db('opportunities').whereIn('id', ids).update({ title: 'Written during the outage' });
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      const during = await indexer.status();
      expect(during.acknowledgedLsn, 'nothing may be acknowledged while the writes cannot land').to.equal(before.acknowledgedLsn);
      expect(during.lagBytes).to.be.greaterThan(0);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await eventually(async () => {
      await search.refresh(alias('opportunities'));
      return (await search.search(alias('opportunities'), { size: 0, query: { ids: { values: ids } }, post_filter: { match_phrase: { title: 'Written during the outage' } } })).total;
    }, (n) => n === ids.length, 'convergence after the outage', 60_000);
  });

  it('backs off without acknowledging while the engine answers 429 for each document, then converges', async () => {
    // Per-document back-pressure (es_rejected_execution_exception) cannot be provoked on an
    // idle single node, so the backend answers it here for six seconds; everything else is real.
    const ids = (await db('opportunities').orderBy('id').offset(25).limit(10).pluck('id')) as string[];
    const lsn = (text: string | null) => (text ? (BigInt(`0x${text.split('/')[0]}`) << 32n) + BigInt(`0x${text.split('/')[1]}`) : -1n);
    const realBulk = search.bulk.bind(search);
    let refused = 0;
    search.bulk = async (_index, operations) => {
      refused += operations.length;
      return { applied: 0, stale: 0, staleIds: [], failures: operations.map((op) => ({ id: op.id, status: 429, type: 'es_rejected_execution_exception', reason: 'rejected execution (queue capacity 200)', retryable: true })) };
    };
    try {
      const { rows: [{ start }] } = await db.raw(`SELECT pg_current_wal_lsn()::text AS start`);
      await db('opportunities').whereIn('id', ids).update({ title: 'Written under back-pressure' });
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const during = await indexer.status();
      expect(refused, 'the indexer kept trying').to.be.at.least(ids.length * 2);
      // Anything committed before the update may be acknowledged; the update itself may not.
      expect(during.acknowledgedLsn, 'the indexer has acknowledged the changes before this test').to.be.a('string');
      expect(lsn(during.acknowledgedLsn) <= lsn(start), `acknowledged ${during.acknowledgedLsn}, the refused change starts after ${start}`).to.equal(true);
      const dead = (await listDeadLetters({ db }, 1000)).map((row) => row.root_id);
      expect(dead.filter((id) => ids.includes(id)), 'back-pressure is not a permanent failure').to.deep.equal([]);
    } finally {
      search.bulk = realBulk;
    }
    await eventually(async () => {
      await search.refresh(alias('opportunities'));
      return (await search.search(alias('opportunities'), { size: 0, query: { ids: { values: ids } }, post_filter: { match_phrase: { title: 'Written under back-pressure' } } })).total;
    }, (n) => n === ids.length, 'convergence after the back-pressure', 60_000);
  });

  it('does not load a document again when its last write already includes the change', async () => {
    // The first change's window is refused (429) and retried; the second change commits
    // meanwhile, so the retry loads a document that includes it, and when the second change
    // comes through the stream its transaction is known to be in what was written.
    const id = (await db('opportunities').orderBy('id').offset(45).first('id')).id as string;
    const realBulk = search.bulk.bind(search);
    let refusing = true;
    search.bulk = async (index, operations, bulkOptions) => refusing
      ? { applied: 0, stale: 0, staleIds: [], failures: operations.map((op) => ({ id: op.id, status: 429, type: 'es_rejected_execution_exception', reason: 'rejected execution', retryable: true })) }
      : realBulk(index, operations, bulkOptions);
    const before = (await indexer.status()).written.covered;
    let betweenLsn: string;
    try {
      await db('opportunities').where({ id }).update({ title: 'Covered, first' });
      betweenLsn = (await db.raw('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn;
      await new Promise((resolve) => setTimeout(resolve, 300));
      await db('opportunities').where({ id }).update({ title: 'Covered, second' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      refusing = false;
      await eventually(async () => (await get('opportunities', id))?.source.title, (title) => title === 'Covered, second', 'the second title');
      await eventually(async () => (await indexer.status()).written.covered, (n) => n > before, 'the covered change to be counted');
    } finally {
      refusing = false;
      search.bulk = realBulk;
    }
    const doc = await get('opportunities', id);
    // Versions are commit end LSNs: the first change's is where the WAL stood after it.
    expect(doc!.version, 'written once, at the first change\'s version').to.be.at.most(lsnToVersion(betweenLsn));
  });

  it('recreates a replication slot dropped from under it and rebuilds, so changes made meanwhile are not lost', async () => {
    const slot = slotNameFor(url);
    const servingBefore = await db('search_index_builds').where({ status: 'active' }).orderBy('document_type').pluck('index_name');
    // An operator (or max_slot_wal_keep_size) takes the slot away: end its walsender and drop
    // it before the indexer reconnects.
    for (let attempt = 0; ; attempt++) {
      await db.raw('SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = ? AND active_pid IS NOT NULL', [slot]);
      if (await db.raw('SELECT pg_drop_replication_slot(?)', [slot]).then(() => true, () => false)) break;
      if (attempt > 100) throw new Error('could not drop the slot');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // No slot holds this change: only a rebuild from Postgres can bring it in.
    const ids = (await db('opportunities').orderBy('id').offset(40).limit(5).pluck('id')) as string[];
    await db('opportunities').whereIn('id', ids).update({ title: 'Written while the slot was gone' });
    await eventually(async () => {
      await search.refresh(alias('opportunities'));
      return (await search.search(alias('opportunities'), { size: 0, query: { ids: { values: ids } }, post_filter: { match_phrase: { title: 'Written while the slot was gone' } } })).total;
    }, (n) => n === ids.length, 'the rebuilt index', 90_000);
    await indexer.buildsSettled();
    expect((await db.raw('SELECT count(*)::int AS n FROM pg_replication_slots WHERE slot_name = ?', [slot])).rows[0].n, 'the slot is back').to.equal(1);
    const servingAfter = await db('search_index_builds').where({ status: 'active' }).orderBy('document_type').pluck('index_name');
    expect(servingAfter).to.have.length(2);
    expect(servingAfter.filter((index) => servingBefore.includes(index)), 'both indices were rebuilt').to.deep.equal([]);
    expect(await reconcile(deps, 'candidates')).to.include({ missing: 0, extra: 0, stale: 0 });
    // And it streams from the new slot (it reconnects after a back-off, so not at once).
    await eventually(async () => (await slotLag(db, slot)).active, (active) => active === true, 'the indexer attached to the new slot', 30_000);
  });

  it('reconciles drift between Postgres and the index: missing, extra and stale documents', async () => {
    const [index] = await search.aliasTargets(alias('candidates'));
    const base = harness().config.search.url;
    const [missing, stale] = [await aSearchableCandidate(6), await aSearchableCandidate(7)];
    const extra = '0e000000-0000-7000-8000-00000000beef';
    await fetch(new URL(`/${index}/_doc/${missing}`, base), { method: 'DELETE' });
    const current = (await get('candidates', stale))!;
    const put = (id: string, version: number, source: Record<string, unknown>) => fetch(new URL(`/${index}/_doc/${id}?version=${version}&version_type=external&refresh=true`, base), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(source) });
    expect((await put(stale, current.version + 1, { ...current.source, headline: 'Drifted', updated_at: '2000-01-01T00:00:00Z' })).status).to.equal(200);
    expect((await put(extra, 1, { id: extra, headline: 'Nobody', updated_at: '2000-01-01T00:00:00Z' })).status).to.equal(201);
    const report = await reconcile(deps, 'candidates');
    expect(report).to.include({ missing: 1, extra: 1, stale: 1, repaired: 3 });
    await search.refresh(index!);
    expect(await get('candidates', extra)).to.equal(undefined);
    expect((await get('candidates', missing))?.source.id).to.equal(missing);
    expect((await get('candidates', stale))?.source.headline).to.not.equal('Drifted');
    expect(await reconcile(deps, 'candidates')).to.include({ missing: 0, extra: 0, stale: 0 });
    expect(await reconcile(deps, 'opportunities')).to.include({ missing: 0, extra: 0, stale: 0 });
  });

  it('finds, with a deep reconciliation, a document that drifted where its freshness stamp cannot tell', async () => {
    // Every document as Postgres gives it: nothing to repair.
    for (const type of ['candidates', 'opportunities'] as const) expect(await reconcile(deps, type, { deep: true, repair: false }), type).to.include({ missing: 0, extra: 0, stale: 0 });
    // A change to a child table the stream missed: the skills are gone from the index copy,
    // its root row's updated_at (the stamp a plain reconciliation compares) unchanged.
    const id = await aSearchableCandidate(9);
    const [index] = await search.aliasTargets(alias('candidates'));
    const current = (await get('candidates', id))!;
    expect(current.source.skill_slugs as string[]).to.not.deep.equal([]);
    const put = await fetch(new URL(`/${index}/_doc/${id}?version=${current.version + 1}&version_type=external&refresh=true`, harness().config.search.url), {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...current.source, skills: [], skill_slugs: [], skill_labels: [] }),
    });
    expect(put.status).to.equal(200);
    expect(await reconcile(deps, 'candidates'), 'the plain reconciliation').to.include({ stale: 0 });
    expect(await reconcile(deps, 'candidates', { deep: true })).to.include({ missing: 0, extra: 0, stale: 1, repaired: 1 });
    await search.refresh(index!);
    expect((await get('candidates', id))!.source.skill_slugs).to.deep.equal(current.source.skill_slugs);
  });

  it('reports slot lag and what it wrote', async () => {
    const status = await indexer.status();
    expect(status.running).to.equal(true);
    expect(status.lagBytes).to.be.a('number');
    expect(status.written.indexed).to.be.greaterThan(0);
    // What /health, /metrics and `meridian status` read from the server: bytes and seconds.
    const lag = await slotLag(db, slotNameFor(url));
    expect(lag).to.include({ exists: true, active: true });
    expect(lag.lagBytes).to.be.a('number').and.at.least(0);
    expect(lag.lagSeconds).to.be.a('number').and.at.least(0);
    expect(status.acknowledgedLsn).to.match(/^[0-9A-F]+\/[0-9A-F]+$/);
  });

  it('saves what it wrote where `meridian status`, another process, shows it', async () => {
    await indexer.saveStats();
    const { written } = await indexer.status();
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, 'bin/meridian.js'), 'status'], {
      env: { ...process.env, DATABASE_URL: url, SEARCH_URL: harness().config.search.url, INDEX_PREFIX: prefix, LOG_LEVEL: 'error' },
      timeout: 120_000,
    });
    const shown = JSON.parse(stdout) as { indexer: { startedAt: string; savedAt: string; written: Record<string, number> } | null };
    expect(shown.indexer, 'the indexer section').to.not.equal(null);
    expect(shown.indexer!.written).to.deep.equal(written);
    expect(shown.indexer!.written.indexed).to.be.greaterThan(0);
    expect(new Date(shown.indexer!.savedAt).getTime()).to.be.at.least(new Date(shown.indexer!.startedAt).getTime());
  });
});

describe('CDC indexer: a transaction larger than a window', function () {
  this.timeout(180_000);
  const SLICE = 10;

  it('writes it in slices of at most maxWindowRoots documents and confirms it to Postgres only once all are written', async () => {
    const url = await harness().createDatabase('cdc_big');
    const db = createDb(harness().config, harness().log, { url });
    const engine = new OpenSearchBackend(harness().config.search.url);
    const prefix = `${harness().config.search.indexPrefix}cdc_big_`;
    const slotName = slotNameFor(url);
    const lsn = (text: string | null) => (text ? (BigInt(`0x${text.split('/')[0]}`) << 32n) + BigInt(`0x${text.split('/')[1]}`) : -1n);
    const confirmed = async () => lsn((await db.raw<{ rows: Array<{ lsn: string | null }> }>('SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = ?', [slotName])).rows[0]?.lsn ?? null);
    // The engine as the indexer sees it, recording each bulk write of the big transaction: its
    // size, and what Postgres had been told was written when it was sent.
    const writes: Array<{ documents: number; confirmed: bigint }> = [];
    let recording = false;
    const search = new Proxy(engine, {
      get(target, property, receiver) {
        if (property !== 'bulk') return Reflect.get(target, property, receiver);
        return async (...args: Parameters<SearchBackend['bulk']>) => {
          if (recording) writes.push({ documents: args[1].length, confirmed: await confirmed() });
          return target.bulk(...args);
        };
      },
    });
    let indexer: Indexer | undefined;
    try {
      await migrateLatest(db);
      await loadDemo(url, { seed: 19, candidates: 150, asOf: new Date('2026-11-01T00:00:00Z') });
      indexer = createIndexer({ db, search, log: harness().log, prefix }, { databaseUrl: url, slotName, windowMs: 50, maxWindowRoots: SLICE, refresh: true });
      await indexer.start();
      await indexer.buildsSettled();
      const { rows } = await db.raw<{ rows: Array<{ id: string }> }>(`SELECT c.id FROM candidates c JOIN users u ON u.id = c.user_id WHERE ${SEARCHABLE_CANDIDATE} ORDER BY c.id`);
      const ids = rows.map((r) => r.id);
      expect(ids.length).to.be.greaterThan(8 * SLICE);
      const before = (await db.raw<{ rows: Array<{ lsn: string }> }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
      recording = true;
      // One transaction touching every searchable candidate, through a child table as a big
      // import would: several skill rows each.
      await db.raw(`UPDATE candidate_skills SET years_of_experience = coalesce(years_of_experience, 0) + 1 WHERE candidate_id = ANY(?)`, [ids]);
      const after = (await db.raw<{ rows: Array<{ lsn: string }> }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
      await eventually(confirmed, (position) => position >= lsn(after), 'the transaction confirmed', 60_000);
      recording = false;
      const documents = writes.reduce((sum, write) => sum + write.documents, 0);
      expect(documents, 'every document of the transaction written').to.be.at.least(ids.length);
      expect(Math.max(...writes.map((w) => w.documents)), 'the largest write').to.be.at.most(SLICE);
      expect(writes.length, 'writes').to.be.at.least(Math.ceil(ids.length / SLICE));
      // Until the last slice was sent, Postgres had been told of nothing beyond what came before.
      expect(writes.every((w) => w.confirmed <= lsn(before)), 'confirmed past the transaction before its last write').to.equal(true);
    } finally {
      await indexer?.stop();
      await engine.close();
      await db.destroy();
    }
  });
});
