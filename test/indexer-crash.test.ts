/**
 * "No change lost, duplicates harmless", proved the hard way: the indexer process is killed
 * with SIGKILL at random points while changes keep arriving, 20 times, restarted each time,
 * and at the end every index equals Postgres.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Knex } from 'knex';
import { harness } from './harness.js';
import { PROJECT_ROOT } from '../src/config.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';
import { loadDemo } from '../src/db/seed/load.js';
import { OpenSearchBackend } from '../src/search/opensearch.js';
import { aliasName } from '../src/search/indices.js';
import { slotLag, slotNameFor } from '../src/db/slot.js';
import { Random } from '../src/domain/random.js';
import { SEARCHABLE_CANDIDATE } from '../src/db/documents.js';

const KILLS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CDC indexer under SIGKILL', function () {
  this.timeout(600_000);
  let db: Knex;
  let url: string;
  let prefix: string;
  let search: OpenSearchBackend;
  let child: ChildProcess | undefined;
  let output = '';
  let streaming = false;

  const startIndexer = () => {
    streaming = false;
    child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/meridian.js'), 'indexer'], {
      env: { ...process.env, DATABASE_URL: url, SEARCH_URL: harness().config.search.url, INDEX_PREFIX: prefix, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => {
      const text = c.toString();
      if (text.includes('indexer: streaming')) streaming = true;
      output = (output + text).slice(-20_000);
    });
  };
  const kill = async (signal: NodeJS.Signals) => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };

  before(async () => {
    url = await harness().createDatabase('crash');
    db = createDb(harness().config, harness().log, { url });
    await migrateLatest(db);
    await loadDemo(url, { seed: 21, candidates: 200, asOf: new Date('2026-11-01T00:00:00Z') });
    prefix = `${harness().config.search.indexPrefix}crash_`;
    search = new OpenSearchBackend(harness().config.search.url);
  });

  after(async () => {
    await kill('SIGKILL');
    await search?.close();
    await db?.destroy();
  });

  it(`ends with the index equal to Postgres after ${KILLS} kills mid-stream`, async () => {
    startIndexer();
    const r = new Random(99);
    const opportunities = (await db('opportunities').orderBy('id').pluck('id')) as string[];
    const candidates = (await db('candidates').orderBy('id').pluck('id')) as string[];
    const org = (await db('organizations').first('id')).id as string;
    let writing = true;
    let changes = 0;
    const writer = (async () => {
      while (writing) {
        const choice = r.int(0, 9);
        if (choice < 5) await db('opportunities').where({ id: r.pick(opportunities) }).update({ title: `Title ${changes}` });
        else if (choice < 8) await db('candidates').where({ id: r.pick(candidates) }).update({ headline: `Headline ${changes}` });
        else if (choice === 8) {
          const [row] = await db('opportunities').insert({ type: 'APPRENTICESHIP', title: `New ${changes}`, description: 'x', organization_id: org }).returning('id');
          opportunities.push(row.id);
        } else {
          // A multi-row transaction: all of it or none of it reaches the index.
          await db.transaction(async (trx) => {
            for (let k = 0; k < 20; k++) await trx('opportunities').where({ id: r.pick(opportunities) }).update({ status: r.pick(['active', 'paused']), published_at: trx.fn.now() });
          });
        }
        changes++;
        await sleep(r.int(0, 15));
      }
    })();
    // Surface a failing writer at once, not only when it is awaited after the kills.
    writer.catch(() => (writing = false));

    for (let round = 0; round < KILLS; round++) {
      // Kill it while it streams (not while it boots): at a random point of its work.
      while (!streaming && child!.exitCode === null) await sleep(20);
      await sleep(r.int(50, 1200));
      await kill('SIGKILL');
      startIndexer();
    }
    writing = false;
    await writer;

    // Converge: the slot catches up with the last change and everything is written.
    const slot = slotNameFor(url);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const lag = await slotLag(db, slot);
      if (lag.exists && lag.active && (lag.lagBytes ?? Infinity) < 1_000_000 && (await matches())) break;
      if (Date.now() > deadline) throw new Error(`did not converge after ${changes} changes; indexer output:\n${output.slice(-4000)}`);
      await sleep(500);
    }
    expect(changes).to.be.greaterThan(100);
    await kill('SIGTERM');

    async function matches(): Promise<boolean> {
      await search.refresh(aliasName(prefix, 'opportunities')).catch(() => undefined);
      await search.refresh(aliasName(prefix, 'candidates')).catch(() => undefined);
      const expectedOpportunities = new Map((await db('opportunities').select('id', 'title', 'status')).map((o) => [o.id as string, `${o.title}|${o.status}`]));
      const indexed = await search.search(aliasName(prefix, 'opportunities'), { size: 10_000, _source: ['title', 'status'] }).catch(() => undefined);
      if (!indexed || indexed.total !== expectedOpportunities.size) return false;
      for (const hit of indexed.hits) if (expectedOpportunities.get(hit.id) !== `${hit.source.title}|${hit.source.status}`) return false;
      const { rows } = await db.raw<{ rows: Array<{ id: string; headline: string }> }>(`SELECT c.id, c.headline FROM candidates c JOIN users u ON u.id = c.user_id WHERE ${SEARCHABLE_CANDIDATE}`);
      const people = await search.search(aliasName(prefix, 'candidates'), { size: 10_000, _source: ['headline'] }).catch(() => undefined);
      if (!people || people.total !== rows.length) return false;
      const headlines = new Map(rows.map((row) => [row.id, row.headline]));
      return people.hits.every((hit) => headlines.get(hit.id) === hit.source.headline);
    }
  });
});
