/**
 * The stream's memory of what it wrote (indexers/unchanged.ts): a document reloaded exactly
 * as the stream last wrote it is not written again — and never skipped when the index may
 * hold something else: another writer has written since, another writer is at work, or a
 * target did not apply the stream's write. Also a batch written as side-by-side requests
 * (writer.ts). Real Postgres and OpenSearch; the memory's own rules as pure unit tests first.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { harness } from './harness.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { loadDemo } from '../src/db/seed/load.js';
import { OpenSearchBackend } from '../src/search/opensearch.js';
import { aliasName } from '../src/search/indices.js';
import { lsnToVersion, versionToLsn } from '../src/search/backend.js';
import { writeRoots } from '../indexers/writer.js';
import { reindex, type IndexerDeps } from '../indexers/backfill.js';
import { asOtherWriter, otherWritersState } from '../indexers/other-writers.js';
import { contentFingerprint, COVER_MAX_AGE_MS, UnchangedDocuments } from '../indexers/unchanged.js';
import { parseSnapshot, sawTransaction } from '../indexers/snapshot.js';

describe('UnchangedDocuments (pure)', () => {
  it('holds a document only with the fingerprint it was remembered with, in the current context', () => {
    const memory = new UnchangedDocuments();
    memory.enter('g1 idx');
    memory.remember('a', 'f1', 'g1 idx');
    expect(memory.holds('a', 'f1')).to.equal(true);
    expect(memory.holds('a', 'f2')).to.equal(false);
    expect(memory.holds('b', 'f1')).to.equal(false);
    memory.enter('g2 idx');
    expect(memory.holds('a', 'f1'), 'a new context forgets').to.equal(false);
    memory.remember('a', 'f1', 'g1 idx');
    expect(memory.holds('a', 'f1'), 'a write made in an older context is not remembered').to.equal(false);
    memory.remember('a', 'f1', 'g2 idx');
    memory.enter(null);
    memory.remember('b', 'f1', null);
    expect(memory.holds('a', 'f1') || memory.holds('b', 'f1'), 'another writer at work: nothing is held').to.equal(false);
  });

  it('forgets the least recently written first, beyond its capacity', () => {
    const memory = new UnchangedDocuments(3);
    memory.enter('c');
    for (const id of ['a', 'b', 'c']) memory.remember(id, 'f', 'c');
    memory.remember('a', 'f', 'c');
    memory.remember('d', 'f', 'c');
    expect(memory.size).to.equal(3);
    expect(['a', 'b', 'c', 'd'].filter((id) => memory.holds(id, 'f'))).to.deep.equal(['a', 'c', 'd']);
    memory.forget('a');
    expect(memory.holds('a', 'f')).to.equal(false);
  });

  it('covers a transaction only when the snapshot of the remembered write saw it', () => {
    const memory = new UnchangedDocuments();
    memory.enter('c');
    const snapshot = parseSnapshot('100:110:103,105');
    memory.remember('a', 'f', 'c', snapshot, 1_000);
    expect(memory.covers('a', [99, 100, 104], 2_000), 'committed before or outside the in-progress list').to.equal(true);
    expect(memory.covers('a', [100, 103], 2_000), 'one was in progress').to.equal(false);
    expect(memory.covers('a', [110], 2_000), 'began after the snapshot').to.equal(false);
    expect(memory.covers('a', [], 2_000), 'no transaction known').to.equal(false);
    expect(memory.covers('a', [99], 1_000 + COVER_MAX_AGE_MS + 1), 'too old').to.equal(false);
    memory.remember('b', 'f', 'c', null, 1_000);
    expect(memory.covers('b', [99], 2_000), 'no snapshot').to.equal(false);
    memory.enter(null);
    expect(memory.covers('a', [99], 2_000), 'another writer at work').to.equal(false);
  });

  it('reads 32-bit xids against a snapshot across an epoch boundary', () => {
    const epoch = 2 ** 32;
    const snapshot = parseSnapshot(`${epoch + 4}:${epoch + 10}:${epoch + 6}`);
    expect(sawTransaction(snapshot, 5), 'this epoch, in view').to.equal(true);
    expect(sawTransaction(snapshot, 6), 'in progress').to.equal(false);
    expect(sawTransaction(snapshot, 20), 'after xmax').to.equal(false);
    expect(sawTransaction(snapshot, epoch - 6), 'the previous epoch, long committed').to.equal(true);
    expect(() => parseSnapshot('not one')).to.throw(/pg_snapshot/);
  });

  it('fingerprints content and encoder version, and every absent document alike', () => {
    const doc = { headline: 'Welder', skills: ['welding'] };
    expect(contentFingerprint(true, doc, 'e1')).to.equal(contentFingerprint(true, { ...doc }, 'e1'));
    expect(contentFingerprint(true, doc, 'e1')).to.not.equal(contentFingerprint(true, { ...doc, headline: 'Welders' }, 'e1'));
    expect(contentFingerprint(true, doc, 'e1')).to.not.equal(contentFingerprint(true, doc, 'e2'));
    expect(contentFingerprint(false, doc, 'e1')).to.equal(contentFingerprint(false, {}, undefined));
  });
});

describe('Unchanged documents are not written again (real services)', function () {
  this.timeout(120_000);
  let db: Knex;
  let search: OpenSearchBackend;
  let deps: IndexerDeps;
  let index: string;
  let ids: string[];
  /** The version of the newest write so far (an LSN as a number), above the backfill's. */
  let version: number;
  /** A version above every earlier one, as the stream's windows have. */
  const nextVersions = (list: string[]) => {
    version += 1000;
    return new Map(list.map((id) => [id, versionToLsn(version)]));
  };

  before(async () => {
    const url = await harness().createDatabase('unchanged');
    db = createDb(harness().config, harness().log, { url });
    await migrateLatest(db);
    await loadDemo(url, { seed: 13, candidates: 50, asOf: new Date('2026-11-01T00:00:00Z') });
    search = new OpenSearchBackend(harness().config.search.url);
    deps = { db, search, log: harness().log, prefix: `${harness().config.search.indexPrefix}unchanged_` };
    const build = await reindex(deps, 'opportunities');
    index = build.index_name;
    expect((await search.aliasTargets(aliasName(deps.prefix, 'opportunities')))).to.deep.equal([index]);
    ids = (await db('opportunities').orderBy('id').limit(5).pluck('id')) as string[];
    version = lsnToVersion((await db.raw('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn);
  });

  after(async () => {
    await search?.close();
    await db?.destroy();
  });

  it('knows from a real snapshot which transactions it saw (pgoutput\'s 32-bit xids)', async () => {
    const open = await db.transaction();
    try {
      const xid = Number(BigInt((await open.raw('SELECT pg_current_xact_id()::text AS x')).rows[0].x) % 2n ** 32n);
      const whileOpen = parseSnapshot((await db.raw('SELECT pg_current_snapshot()::text AS s')).rows[0].s);
      expect(sawTransaction(whileOpen, xid), 'in progress').to.equal(false);
      await open.commit();
      const afterCommit = parseSnapshot((await db.raw('SELECT pg_current_snapshot()::text AS s')).rows[0].s);
      expect(sawTransaction(afterCommit, xid), 'committed').to.equal(true);
    } finally {
      if (!open.isCompleted()) await open.rollback();
    }
  });

  it('writes a document once while it is unchanged, and again when it changes', async () => {
    const memory = new UnchangedDocuments();
    const first = await writeRoots(deps, 'opportunities', [index], nextVersions(ids), { unchanged: memory });
    expect(first).to.include({ indexed: 5, stale: 0, unchanged: 0 });
    const written = (await search.getDocument(index, ids[0]!))!.version;
    const again = await writeRoots(deps, 'opportunities', [index], nextVersions(ids), { unchanged: memory });
    expect(again).to.include({ indexed: 0, unchanged: 5 });
    expect((await search.getDocument(index, ids[0]!))!.version, 'the engine did not see it again').to.equal(written);
    await db('opportunities').where({ id: ids[1] }).update({ title: 'Changed since' });
    const changed = await writeRoots(deps, 'opportunities', [index], nextVersions(ids), { unchanged: memory });
    expect(changed).to.include({ indexed: 1, stale: 0, unchanged: 4 });
    expect((await search.getDocument(index, ids[1]!))!.source.title).to.equal('Changed since');
  });

  it('writes again once another writer has written, even content the stream wrote before', async () => {
    const memory = new UnchangedDocuments();
    expect(await writeRoots(deps, 'opportunities', [index], nextVersions(ids), { unchanged: memory })).to.include({ stale: 0 });
    // Another writer puts something else in the index (as a slow backfill page could).
    const generation = await otherWritersState(db);
    await asOtherWriter(db, () => search.bulk(index, [{ action: 'index', id: ids[2]!, version: version + 500, document: { id: ids[2], title: 'Written by someone else' } }]));
    expect(await otherWritersState(db), 'the generation moved').to.not.equal(generation);
    const after = await writeRoots(deps, 'opportunities', [index], nextVersions(ids), { unchanged: memory });
    expect(after).to.include({ indexed: 5, stale: 0, unchanged: 0 });
    const title = (await db('opportunities').where({ id: ids[2] }).first('title')).title;
    expect((await search.getDocument(index, ids[2]!))!.source.title, 'Postgres content is back').to.equal(title);
  });

  it('skips nothing while another writer is at work', async () => {
    const memory = new UnchangedDocuments();
    expect(await writeRoots(deps, 'opportunities', [index], nextVersions(ids), { unchanged: memory })).to.include({ stale: 0 });
    let release!: () => void;
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const other = asOtherWriter(db, async () => {
      holding();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await held;
    try {
      expect(await otherWritersState(db)).to.equal(null);
      const during = await writeRoots(deps, 'opportunities', [index], nextVersions(ids), { unchanged: memory });
      expect(during).to.include({ indexed: 5, stale: 0, unchanged: 0 });
    } finally {
      release();
      await other;
    }
    expect(await otherWritersState(db), 'the lock went with its writer').to.not.equal(null);
  });

  it('writes a batch as side-by-side requests and reads their results as one', async () => {
    const all = (await db('opportunities').orderBy('id').pluck('id')) as string[];
    expect(all.length, 'enough documents to split a batch').to.be.at.least(64);
    const [early, late] = [all[1]!, all[all.length - 2]!];
    // One document in each half is already newer in the index.
    await search.bulk(index, [early, late].map((id) => ({ action: 'index' as const, id, version: version + 1500, document: { id, title: 'Newer elsewhere' } })));
    const realBulk = search.bulk.bind(search);
    const requests: number[] = [];
    search.bulk = async (target, operations, bulkOptions) => {
      requests.push(operations.length);
      return realBulk(target, operations, bulkOptions);
    };
    const memory = new UnchangedDocuments();
    try {
      const stats = await writeRoots(deps, 'opportunities', [index], nextVersions(all), { unchanged: memory });
      expect(stats).to.include({ stale: 2, deadLettered: 0 });
    } finally {
      search.bulk = realBulk;
    }
    expect(requests, 'two requests, half the batch each').to.deep.equal([Math.ceil(all.length / 2), Math.floor(all.length / 2)]);
    // The stale ones are not remembered; the others are.
    version += 2000;
    const again = await writeRoots(deps, 'opportunities', [index], nextVersions(all), { unchanged: memory });
    expect(again).to.include({ indexed: 2, stale: 0, unchanged: all.length - 2 });
  });

  it('does not remember a write the engine refused as stale', async () => {
    const memory = new UnchangedDocuments();
    const id = ids[3]!;
    // The index already holds a higher version (written without announcing itself: the case
    // the stale check must cover on its own).
    await search.bulk(index, [{ action: 'index', id, version: version + 1500, document: { id, title: 'Newer elsewhere' } }]);
    const refused = await writeRoots(deps, 'opportunities', [index], nextVersions([id]), { unchanged: memory });
    expect(refused).to.include({ stale: 1 });
    version += 2000;
    const next = await writeRoots(deps, 'opportunities', [index], nextVersions([id]), { unchanged: memory });
    expect(next).to.include({ indexed: 1, stale: 0, unchanged: 0 });
    const title = (await db('opportunities').where({ id }).first('title')).title;
    expect((await search.getDocument(index, id))!.source.title).to.equal(title);
  });
});
