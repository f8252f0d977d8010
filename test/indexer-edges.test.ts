/**
 * The CDC indexer at edges a review found and reproduced before they were fixed: where the
 * acknowledgement lands, a window whose time runs out inside a transaction, a truncate while
 * the engine refuses new indices, a restart on a new slot with a build left unfinished, and a
 * dead-letter replay that fails part-way. Each would lose or misversion a change.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import type { Knex } from 'knex';
import { harness } from './harness.js';
import { eventually } from './helpers.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { loadDemo } from '../src/db/seed/load.js';
import { OpenSearchBackend } from '../src/search/opensearch.js';
import { aliasName, type DocumentType } from '../src/search/indices.js';
import { lsnToVersion, type SearchBackend } from '../src/search/backend.js';
import { ServiceError } from '../src/errors.js';
import { createIndexer, slotNameFor, type Indexer } from '../indexers/stream.js';
import { abandonBuilds, reindex, runBuild, startBuild, writeTargets, type IndexerDeps } from '../indexers/backfill.js';
import { writeRoots } from '../indexers/writer.js';
import { countDeadLetters, listDeadLetters, replayDeadLetters } from '../indexers/dead-letters.js';
import { readIndexerStats } from '../src/db/indexer-stats.js';
import { reconcile } from '../indexers/reconcile.js';


interface EngineFaults {
  createIndex: number;
  bulk: boolean;
  hold?: { ids: Set<string>; until: Promise<void> };
  bulks: string[][];
}

/**
 * The engine, with faults the test switches on: index creation and bulk writes refused, and the
 * bulk writes of some documents held until the test lets them through (`hold`). Every bulk
 * write's document ids are recorded in `bulks` as it reaches the engine.
 */
function faultyEngine(engine: SearchBackend) {
  const faults: EngineFaults = { createIndex: 0, bulk: false, bulks: [] };
  const search = new Proxy(engine, {
    get(target, property, receiver) {
      if (property === 'createIndex') {
        return async (...args: Parameters<SearchBackend['createIndex']>) => {
          if (faults.createIndex > 0) {
            faults.createIndex--;
            throw new ServiceError('search_unavailable', 'index creation refused (test fault)');
          }
          return target.createIndex(...args);
        };
      }
      if (property === 'bulk') {
        return async (...args: Parameters<SearchBackend['bulk']>) => {
          if (faults.bulk) throw new ServiceError('search_unavailable', 'bulk refused (test fault)');
          faults.bulks.push(args[1].map((op) => op.id));
          const hold = faults.hold;
          if (hold && args[1].some((op) => hold.ids.has(op.id))) await hold.until;
          return target.bulk(...args);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
  return { search, faults };
}

describe('CDC indexer edges', function () {
  this.timeout(300_000);
  let db: Knex;
  let url: string;
  let engine: OpenSearchBackend;
  let search: SearchBackend;
  let faults: EngineFaults;
  let deps: IndexerDeps;
  let indexer: Indexer | undefined;
  const slot = () => slotNameFor(url);
  const alias = (type: DocumentType) => aliasName(deps.prefix, type);
  const start = async () => {
    indexer = createIndexer(deps, { databaseUrl: url, slotName: slot(), windowMs: 50, refresh: true });
    await indexer.start();
    await indexer.buildsSettled();
  };
  const confirmed = async () => (await db.raw<{ rows: Array<{ lsn: string | null }> }>('SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = ?', [slot()])).rows[0]?.lsn ?? null;

  before(async () => {
    url = await harness().createDatabase('cdc_edges');
    db = createDb(harness().config, harness().log, { url });
    await migrateLatest(db);
    await loadDemo(url, { seed: 23, candidates: 120, asOf: new Date('2026-11-01T00:00:00Z') });
    engine = new OpenSearchBackend(harness().config.search.url);
    ({ search, faults } = faultyEngine(engine));
    deps = { db, search, log: harness().log, prefix: `${harness().config.search.indexPrefix}cdc_edges_` };
    await start();
  });

  after(async () => {
    await indexer?.stop();
    await engine?.close();
    await db?.destroy();
  });

  it('confirms to Postgres exactly the end of what it wrote, not a byte more', async () => {
    const id = (await db('opportunities').orderBy('id').first('id')).id as string;
    await db('opportunities').where({ id }).update({ title: 'Acknowledged exactly' });
    await eventually(() => search.getDocument(alias('opportunities'), id), (d) => d?.source.title === 'Acknowledged exactly', 'the change');
    // The slot's position must be the indexer's own (the library adds one to what it is given).
    await eventually(async () => [(await indexer!.status()).acknowledgedLsn, await confirmed()], ([ours, slots]) => ours !== null && slots !== null && lsnToVersion(ours) === lsnToVersion(slots), 'the slot to confirm what the indexer acknowledged', 15_000);
  });

  it('writes a transaction\'s documents at its own commit LSN when the window runs out inside it', async () => {
    const [y, x] = (await db('opportunities').orderBy('id').offset(1).limit(2).pluck('id')) as string[];
    const source = (await db('data_sources').first('id')).id as string;
    // T2, left open: X first, then enough changes to a published table that feeds no document
    // that T2 takes longer to stream than the 50 ms window T1's commit opens.
    const t2 = await db.transaction();
    await t2('opportunities').where({ id: x }).update({ title: 'T2' });
    await t2.raw(`DO $$ BEGIN FOR i IN 1..20000 LOOP UPDATE data_sources SET updated_at = now() WHERE id = '${source}'; END LOOP; END $$`);
    // T1 commits, then T2 at once: the stream sends T1, then T2 while T1's window is open.
    await db('opportunities').where({ id: y }).update({ title: 'T1' });
    const before = (await db.raw<{ rows: Array<{ lsn: string }> }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
    await t2.commit();
    const written = await eventually(() => search.getDocument(alias('opportunities'), x!), (d) => d?.source.title === 'T2', 'T2', 60_000);
    // T2's commit record starts at or after `before`; T1's ends there.
    expect(written!.version, 'X written at T2\'s commit LSN, not T1\'s').to.be.at.least(lsnToVersion(before));
  });

  it('wins over another writer that read the position where its commit record then began', async () => {
    const [x] = (await db('opportunities').orderBy('id').offset(8).limit(1).pluck('id')) as string[];
    const t = await db.transaction();
    await t('opportunities').where({ id: x }).update({ title: 'Committed after the other writer read' });
    // Another writer (a backfill page, reconciliation, a replay) versions its copy with the
    // current position, which can be exactly where T's commit record will start (after another
    // commit flushed the WAL). Here it is that position, taken inside T just before it commits.
    const { rows: [{ lsn }] } = await t.raw<{ rows: Array<{ lsn: string }> }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    await writeRoots(deps, 'opportunities', await writeTargets(deps, 'opportunities'), new Map([[x!, lsn]]));
    await t.commit();
    const written = await eventually(() => search.getDocument(alias('opportunities'), x!), (d) => d?.source.title === 'Committed after the other writer read', 'T\'s change over the other writer\'s copy', 10_000);
    expect(written!.version).to.be.greaterThan(lsnToVersion(lsn));
  });

  it('acknowledges a window only once its writes land, and writes the windows after it in order', async () => {
    // Window A's write is held by the engine; meanwhile a window with nothing to write (a new
    // skill no document uses) and a window with a document (B) are committed. Neither may be
    // acknowledged, and B not written, before A lands — whatever the stream does meanwhile (a
    // version that prepared the next window during a write acknowledged the empty one early).
    const [a, b] = (await db('opportunities').orderBy('id').offset(12).limit(2).pluck('id')) as string[];
    const position = async () => lsnToVersion((await db.raw<{ rows: Array<{ lsn: string }> }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn);
    let release!: () => void;
    faults.hold = { ids: new Set([a!]), until: new Promise<void>((resolve) => (release = resolve)) };
    faults.bulks = [];
    try {
      const beforeA = await position();
      await db('opportunities').where({ id: a }).update({ title: 'Held by the engine' });
      await eventually(async () => faults.bulks.some((ids) => ids.includes(a!)), (reached) => reached, 'A\'s write to reach the engine');
      await db('skills').insert({ slug: 'window-with-nothing-to-write', skill_name: 'Window with nothing to write', skill_category: 'technical' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await db('opportunities').where({ id: b }).update({ title: 'Written after A' });
      const afterB = await position();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(lsnToVersion((await confirmed())!), 'confirmed past A while its write was held').to.be.at.most(beforeA);
      expect(faults.bulks.some((ids) => ids.includes(b!)), 'B written before A landed').to.equal(false);
      release();
      await eventually(async () => lsnToVersion((await confirmed())!), (lsn) => lsn >= afterB, 'everything confirmed once A landed', 15_000);
      const order = faults.bulks.flat().filter((id) => id === a || id === b);
      expect(order, 'A, then B').to.deep.equal([a, b]);
      expect((await search.getDocument(alias('opportunities'), b!))?.source.title).to.equal('Written after A');
    } finally {
      release?.();
      faults.hold = undefined;
    }
  });

  it('rebuilds after a truncate though the engine refuses the new index at first, and acknowledges only once it is recorded', async () => {
    const before = (await db('search_index_builds').where({ document_type: 'candidates', status: 'active' }).first('index_name')).index_name as string;
    const { rows: [speaker] } = await db.raw<{ rows: Array<{ id: string }> }>(`SELECT candidate_id AS id FROM candidate_languages GROUP BY 1 ORDER BY 1 LIMIT 1`);
    const { rows: [{ lsn: truncatedAt }] } = await db.raw<{ rows: Array<{ lsn: string }> }>('SELECT pg_current_wal_lsn()::text AS lsn');
    faults.createIndex = Number.POSITIVE_INFINITY;
    await db.raw('TRUNCATE candidate_languages');
    // While the engine refuses the rebuild's index, the truncate is not confirmed.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(lsnToVersion((await confirmed())!), 'confirmed before the truncate only').to.be.at.most(lsnToVersion(truncatedAt));
    faults.createIndex = 0;
    await indexer!.buildsSettled();
    await eventually(async () => (await db('search_index_builds').where({ document_type: 'candidates', status: 'active' }).first('index_name'))?.index_name, (index) => index !== undefined && index !== before, 'a new active candidates index', 60_000);
    await indexer!.buildsSettled();
    const document = await eventually(() => search.getDocument(alias('candidates'), speaker!.id), (d) => d !== undefined && ((d.source.language_codes as string[] | undefined) ?? []).length === 0, 'the speaker without languages', 60_000);
    expect(document!.source.language_codes ?? []).to.deep.equal([]);
  });

  it('abandons a build left unfinished when it restarts on a new slot, and builds afresh', async () => {
    await indexer!.stop();
    indexer = undefined;
    const PAGE = 20;
    const build = await startBuild(deps, 'opportunities');
    await runBuild(deps, build, (done) => { if (done >= PAGE) throw new Error('crash after the first page'); }, PAGE).catch(() => undefined);
    // With no indexer and no slot, a first-page document changes: only a fresh build sees it.
    await db.raw('SELECT pg_drop_replication_slot(?)', [slot()]);
    const [first] = (await db('opportunities').orderBy('id').limit(1).pluck('id')) as string[];
    await db('opportunities').where({ id: first }).update({ title: 'Changed while there was no slot' });
    await start();
    expect((await db('search_index_builds').where({ id: build.id }).first('status')).status).to.equal('abandoned');
    expect(await search.aliasTargets(alias('opportunities'))).to.not.include(build.index_name);
    await search.refresh(alias('opportunities'));
    expect((await search.getDocument(alias('opportunities'), first!))?.source.title).to.equal('Changed while there was no slot');
  });

  it('stops a build abandoned while it writes a page, with no dead letters and an error for its caller', async () => {
    const build = await startBuild(deps, 'opportunities');
    const lettersBefore = (await listDeadLetters(deps, 10_000)).length;
    // Abandoned (its index deleted) just as its first page is sent.
    let abandoned = false;
    const racing = new Proxy(search, {
      get(target, property, receiver) {
        if (property !== 'bulk') return Reflect.get(target, property, receiver);
        return async (...args: Parameters<SearchBackend['bulk']>) => {
          if (args[0] === build.index_name && !abandoned) {
            abandoned = true;
            await abandonBuilds(deps, 'abandoned by the test');
          }
          return target.bulk(...args);
        };
      },
    });
    const outcome = await runBuild({ ...deps, search: racing }, build, undefined, 20).then(() => 'finished', (error: { code?: string }) => error.code);
    expect(abandoned).to.equal(true);
    expect(outcome, 'the caller (meridian reindex) is told').to.equal('build_abandoned');
    expect((await listDeadLetters(deps, 10_000)).length, 'no dead letters for the vanished index').to.equal(lettersBefore);
  });

  it('never lets an abandonment delete the index a build is flipping the alias to', async () => {
    const build = await startBuild(deps, 'opportunities');
    let abandoning: Promise<void> | undefined;
    const slowFlip = new Proxy(search, {
      get(target, property, receiver) {
        if (property !== 'pointAlias') return Reflect.get(target, property, receiver);
        return async (...args: Parameters<SearchBackend['pointAlias']>) => {
          // A truncate (say) abandons builds while this one is flipping.
          abandoning = abandonBuilds(deps, 'abandoned by the test during the flip');
          await new Promise((resolve) => setTimeout(resolve, 500));
          return target.pointAlias(...args);
        };
      },
    });
    await runBuild({ ...deps, search: slowFlip }, build, undefined, 500);
    await abandoning;
    expect((await db('search_index_builds').where({ id: build.id }).first('status')).status).to.equal('active');
    expect(await search.indexExists(build.index_name), 'the serving index').to.equal(true);
    expect(await search.aliasTargets(alias('opportunities'))).to.deep.equal([build.index_name]);
  });

  it('leaves the running indexer\'s counters alone when a second one waits for the slot', async () => {
    const id = (await db('opportunities').orderBy('id').offset(11).first('id')).id as string;
    await db('opportunities').where({ id }).update({ title: 'Counted by the first indexer' });
    await eventually(() => search.getDocument(alias('opportunities'), id), (d) => d?.source.title === 'Counted by the first indexer', 'the change');
    await indexer!.saveStats();
    const before = await readIndexerStats(db, slot());
    expect(before!.written.indexed).to.be.greaterThan(0);
    // A second process on the same slot: Postgres refuses it the slot while the first streams.
    const second = createIndexer(deps, { databaseUrl: url, slotName: slot(), windowMs: 50, refresh: true, statsEveryMs: 100 });
    await second.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(await readIndexerStats(db, slot()), 'the first indexer\'s row').to.deep.equal(before);
    } finally {
      await second.stop();
    }
    expect(await readIndexerStats(db, slot()), 'after the second stops').to.deep.equal(before);
  });

  it('runs two reindexes started together as one build, with no index left over', async () => {
    const [a, b] = await Promise.all([reindex(deps, 'opportunities'), reindex(deps, 'opportunities')]);
    expect([a.status, b.status]).to.deep.equal(['active', 'active']);
    expect(a.index_name, 'the same build').to.equal(b.index_name);
    expect(await search.aliasTargets(alias('opportunities'))).to.deep.equal([a.index_name]);
    const response = await fetch(new URL(`/_cat/indices/${deps.prefix}opportunities_*?format=json`, harness().config.search.url));
    const indices = ((await response.json()) as Array<{ index: string }>).map((i) => i.index);
    expect(indices, 'no index without a build').to.deep.equal([a.index_name]);
  });

  it('refuses to reconcile an index that is not there, rather than report no drift', async () => {
    const error = await reconcile({ ...deps, prefix: `${deps.prefix}nothing_` }, 'opportunities').then(() => undefined, (e: { code?: string }) => e);
    expect(error).to.include({ code: 'index_missing' });
  });

  it('leaves dead letters open when their replay cannot write', async () => {
    const [id] = (await db('opportunities').orderBy('id').offset(5).limit(1).pluck('id')) as string[];
    // A date Postgres takes and the engine cannot parse (no four-digit year): a bad row.
    await db('opportunities').where({ id }).update({ title: 'Rejected once', published_at: '10000-01-01T00:00:00Z' });
    await eventually(() => listDeadLetters(deps), (letters) => letters.some((l) => l.root_id === id), 'the dead letter');
    faults.bulk = true;
    try {
      const replay = await replayDeadLetters(deps).then(() => 'finished', (error: Error) => error.message);
      expect(replay).to.match(/refused/);
    } finally {
      faults.bulk = false;
    }
    expect((await listDeadLetters(deps)).map((l) => l.root_id), 'still open').to.include(id);
    // The row is still bad: `meridian dead-letters replay` writes what it can and, since this
    // one is refused again, says so with its exit code.
    const cli = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, [path.join(PROJECT_ROOT, 'bin/meridian.js'), 'dead-letters', 'replay'], {
        env: { ...process.env, DATABASE_URL: url, SEARCH_URL: harness().config.search.url, INDEX_PREFIX: deps.prefix, LOG_LEVEL: 'error' }, timeout: 120_000,
      }, (error, stdout) => resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, stdout }));
    });
    expect(cli.code, cli.stdout).to.equal(1);
    expect(JSON.parse(cli.stdout)).to.include({ failedAgain: 1 });
    expect((await listDeadLetters(deps)).map((l) => l.root_id), 'still open after the command').to.include(id);
  });

  it('lists the newest open dead letters with how many are open, and reports a reconciliation\'s progress', async () => {
    // The test before left a bad opportunity with an open letter.
    const cli = (...args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [path.join(PROJECT_ROOT, 'bin/meridian.js'), 'dead-letters', ...args], {
        env: { ...process.env, DATABASE_URL: url, SEARCH_URL: harness().config.search.url, INDEX_PREFIX: deps.prefix, LOG_LEVEL: 'error' }, timeout: 120_000,
      }, (error, stdout, stderr) => resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, stdout, stderr }));
    });
    const open = await countDeadLetters(deps, 'opportunities');
    expect(open).to.be.at.least(1);
    const listed = await cli('list', '--limit', '1', '--type', 'opportunities');
    expect(listed.code, listed.stderr).to.equal(0);
    const body = JSON.parse(listed.stdout) as { open: number; shown: number; letters: Array<{ document_type: string }> };
    expect(body).to.include({ open, shown: 1 });
    expect(body.letters.map((l) => l.document_type)).to.deep.equal(['opportunities']);
    expect(await countDeadLetters(deps, 'candidates') + open).to.equal(await countDeadLetters(deps));
    const refused = await cli('list', '--type', 'people');
    expect(refused.code).to.not.equal(0);
    expect(refused.stdout + refused.stderr).to.match(/unknown index "people"/);

    const seen: number[] = [];
    const report = await reconcile(deps, 'opportunities', { repair: false, progressEvery: 25, onProgress: (r) => seen.push(r.checked) });
    expect(report.checked).to.be.at.least(50);
    expect(seen).to.deep.equal(Array.from({ length: Math.floor(report.checked / 25) }, (_, i) => (i + 1) * 25));
  });

  it('deletes at start the indices a crash left behind retired builds, never one an alias points at', async () => {
    await indexer!.stop();
    indexer = undefined;
    const { indexDefinition, MAPPING_VERSIONS } = await import('../src/search/indices.js');
    const orphans = [`${deps.prefix}opportunities_v4_crashabandon`, `${deps.prefix}opportunities_v4_crashreplace`];
    // A crash after marking a build abandoned, and one after a flip, each before the delete.
    for (const [i, index] of orphans.entries()) {
      await search.createIndex(index, indexDefinition('opportunities', await search.supportsVectors()));
      await db('search_index_builds').insert({ document_type: 'opportunities', index_name: index, mapping_version: MAPPING_VERSIONS.opportunities, consistent_lsn: '0/0', status: i === 0 ? 'abandoned' : 'replaced', finished_at: db.fn.now() });
    }
    // A row that says replaced while the alias still points at its index (a flip that never
    // happened): that index is serving, and stays.
    const [serving] = await search.aliasTargets(alias('opportunities'));
    const active = await db('search_index_builds').where({ index_name: serving }).first('id', 'status');
    await db('search_index_builds').where({ id: active.id }).update({ status: 'replaced' });
    try {
      await start();
    } finally {
      await db('search_index_builds').where({ id: active.id }).update({ status: active.status });
    }
    for (const index of orphans) expect(await search.indexExists(index), index).to.equal(false);
    expect(await search.indexExists(serving!), 'the serving index').to.equal(true);
    expect(await search.aliasTargets(alias('opportunities'))).to.deep.equal([serving]);
  });
});
