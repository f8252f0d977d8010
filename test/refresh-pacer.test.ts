/**
 * What the stream writes becomes searchable right after the write, not at the engine's next
 * scheduled refresh (indexers/refresh-pacer.ts): the pacer's rules as pure unit tests (a fake
 * refresh, real timers), then the stream on real Postgres and OpenSearch with the index's own
 * scheduled refresh turned off, so that only the stream can make a change searchable.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { harness } from './harness.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { loadDemo } from '../src/db/seed/load.js';
import { OpenSearchBackend } from '../src/search/opensearch.js';
import { aliasName } from '../src/search/indices.js';
import { createIndexer, slotNameFor, type Indexer } from '../indexers/stream.js';
import { RefreshPacer } from '../indexers/refresh-pacer.js';
import { createLogger } from '../src/log.js';
import type { SearchBackend } from '../src/search/backend.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RefreshPacer (pure)', () => {
  const silent = createLogger('error', {}, () => undefined);

  /** A refresh that records when it started and takes `takesMs`; fails while `failing`. */
  function fakeRefresh(takesMs = 0) {
    const calls: Array<{ index: string; at: number }> = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const state = { failing: false };
    const refresh = async (index: string) => {
      calls.push({ index, at: performance.now() });
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await sleep(takesMs);
      inFlight--;
      if (state.failing) throw new Error('engine unreachable');
    };
    return { refresh, calls, state, maxInFlight: () => maxInFlight };
  }

  it('refreshes at once after a first write, and once more for all the writes within the gap', async () => {
    const fake = fakeRefresh();
    const pacer = new RefreshPacer(fake.refresh, 400, silent);
    const t0 = performance.now();
    pacer.written('a');
    expect(fake.calls, 'at once').to.have.length(1);
    for (let i = 0; i < 5; i++) {
      pacer.written('a');
      await sleep(10);
    }
    expect(fake.calls, 'nothing more within the gap').to.have.length(1);
    await sleep(500);
    expect(fake.calls, 'one refresh covers the writes within the gap').to.have.length(2);
    expect(fake.calls[1]!.at - t0).to.be.at.least(395);
    await sleep(500);
    expect(fake.calls, 'no write since: no refresh').to.have.length(2);
    pacer.stop();
  });

  it('paces each index on its own', () => {
    const fake = fakeRefresh();
    const pacer = new RefreshPacer(fake.refresh, 1_000, silent);
    pacer.written('a');
    pacer.written('b');
    pacer.written('a');
    expect(fake.calls.map((c) => c.index)).to.deep.equal(['a', 'b']);
    pacer.stop();
  });

  it('runs one refresh at a time per index and covers a write made during one with another', async () => {
    const fake = fakeRefresh(400);
    const pacer = new RefreshPacer(fake.refresh, 10, silent);
    pacer.written('a');
    await sleep(20);
    pacer.written('a');
    await sleep(20);
    expect(fake.calls, 'the second waits for the first to finish').to.have.length(1);
    await sleep(900);
    expect(fake.calls).to.have.length(2);
    expect(fake.maxInFlight()).to.equal(1);
    pacer.stop();
  });

  it('goes on after a failed refresh, and refreshes nothing once stopped', async () => {
    const fake = fakeRefresh();
    const pacer = new RefreshPacer(fake.refresh, 30, silent);
    fake.state.failing = true;
    pacer.written('a');
    await sleep(5);
    fake.state.failing = false;
    pacer.written('a');
    await sleep(150);
    expect(fake.calls, 'the write after the failure was refreshed').to.have.length(2);
    pacer.written('a');
    pacer.written('a');
    expect(fake.calls, 'the first at once, the second waits for the gap').to.have.length(3);
    pacer.stop();
    await sleep(150);
    expect(fake.calls, 'the pending refresh was cancelled').to.have.length(3);
    pacer.written('a');
    expect(fake.calls).to.have.length(3);
  });
});

describe('stream refreshes what it wrote', function () {
  this.timeout(180_000);
  let db: Knex;
  let search: SearchBackend;
  let url: string;
  let prefix: string;
  let indexer: Indexer | undefined;

  before(async () => {
    url = await harness().createDatabase('pacer');
    db = createDb(harness().config, harness().log, { url });
    await migrateLatest(db);
    await loadDemo(url, { seed: 12, candidates: 50, asOf: new Date('2026-11-01T00:00:00Z') });
    search = new OpenSearchBackend(harness().config.search.url);
    prefix = `${harness().config.search.indexPrefix}pacer_`;
  });

  afterEach(async () => {
    await indexer?.stop();
    indexer = undefined;
  });

  after(async () => {
    await search?.close();
    await db?.destroy();
  });

  /**
   * Starts a stream with `refreshGapMs`, turns the engine's scheduled refresh of the
   * opportunities index off, renames an opportunity, and says whether a search finds the new
   * title within `withinMs` — and that the document was written either way (a get by id reads
   * the engine's latest copy, refreshed or not).
   */
  async function renameAndSearch(refreshGapMs: number, title: string, withinMs: number): Promise<boolean> {
    indexer = createIndexer({ db, search, log: harness().log, prefix }, { databaseUrl: url, slotName: slotNameFor(url), windowMs: 20, refreshGapMs });
    await indexer.start();
    await indexer.buildsSettled();
    const alias = aliasName(prefix, 'opportunities');
    const [index] = await search.aliasTargets(alias);
    await fetch(new URL(`/${index}/_settings`, harness().config.search.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ index: { refresh_interval: '-1' } }) });
    await search.refresh(alias);
    const { id } = await db('opportunities').orderBy('id').first('id');
    await db('opportunities').where({ id }).update({ title });
    const found = () => search.search(alias, { size: 1, query: { match_phrase: { title } } });
    const deadline = Date.now() + withinMs;
    let visible = false;
    while (!visible && Date.now() < deadline) {
      visible = (await found()).total === 1;
      if (!visible) await sleep(50);
    }
    const deadlineWritten = Date.now() + 20_000;
    while ((await search.getDocument(alias, id))?.source.title !== title) {
      if (Date.now() > deadlineWritten) throw new Error('the stream never wrote the rename');
      await sleep(50);
    }
    // Back to the index's own schedule, for whatever runs next against it.
    await fetch(new URL(`/${index}/_settings`, harness().config.search.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ index: { refresh_interval: '500ms' } }) });
    return visible;
  }

  it('makes a change searchable with the scheduled refresh off', async () => {
    expect(await renameAndSearch(100, 'Pacer probe one', 10_000)).to.equal(true);
  });

  it('leaves it to the scheduled refresh when pacing is off (0), so the test above means something', async () => {
    expect(await renameAndSearch(0, 'Pacer probe two', 3_000)).to.equal(false);
  });
});
