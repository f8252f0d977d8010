/**
 * The CDC indexer (DESIGN §5): pgoutput changes from a logical slot → affected root ids (the
 * document graph) → whole documents loaded from Postgres → bulk writes versioned by commit
 * LSN → only then an acknowledgement to Postgres.
 *
 * - Nothing lost: acknowledgements are manual (`acknowledge: {auto: false, timeoutSeconds: 0}`)
 *   and carry the end LSN of the last transaction whose documents are durably written;
 *   keepalives are answered with that position, never with the server's.
 * - Duplicates harmless: every write carries the commit LSN as an external version, so a
 *   replay after a crash, or a stale write, cannot overwrite newer data.
 * - Bounded memory: the stream is paused while a batch is processed (flow control), and a
 *   huge transaction is flushed in slices of at most `maxWindowRoots` documents (its changes
 *   are committed already: pgoutput v1 sends a transaction only after its commit).
 * - Coalescing: transactions committed within `windowMs` are merged per document, and a
 *   document loaded exactly as the stream last wrote it is not written again (a stream behind
 *   its changes loads each document as it is now, so later changes are often in already).
 * - Failures: the engine down or answering 429 → back off and retry the same batch without
 *   acknowledging; a document rejected for good → dead-letter table, the stream goes on.
 */
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import { DOCUMENT_TYPES, type DocumentType } from '../src/search/indices.js';
import { lsnToVersion, versionToLsn } from '../src/search/backend.js';
import { EDGES_BY_TABLE, type LookupEdge } from './graph.js';
import { abandonBuilds, BuildAbandonedError, needsBuild, runBuild, startBuild, sweepRetiredIndices, writeTargets, type BuildRow, type IndexerDeps } from './backfill.js';
import { writeRoots, writingContext } from './writer.js';
import { UnchangedDocuments } from './unchanged.js';
import { RefreshPacer } from './refresh-pacer.js';
import { saveIndexerStats, type IndexerCounters } from '../src/db/indexer-stats.js';

export const PUBLICATION = 'meridian_search';

export interface IndexerOptions {
  databaseUrl: string;
  slotName: string;
  /** How long committed transactions are coalesced before they are written. */
  windowMs?: number;
  /** Documents per batch before a flush, whatever the window. */
  maxWindowRoots?: number;
  /** Refresh the index after each write (tests and benchmarks of freshness). */
  refresh?: boolean;
  /**
   * Refresh an index the stream wrote at most this often, right after the write (refresh-pacer.ts);
   * 0 leaves visibility to the engine's scheduled refresh alone. Default 250.
   */
  refreshGapMs?: number;
  /** How often the `written` counters are saved to search_indexer_stats while they change. Default 10 s. */
  statsEveryMs?: number;
}

export interface IndexerStatus {
  slot: string;
  running: boolean;
  acknowledgedLsn: string | null;
  lagBytes: number | null;
  lagSeconds: number;
  pendingDocuments: number;
  builds: Array<Pick<BuildRow, 'document_type' | 'index_name' | 'status' | 'documents'>>;
  /** Document writes by outcome (see IndexerCounters). */
  written: IndexerCounters;
}

interface Window {
  /** Root ids named by the changed rows, with the transactions (xids) that changed them. */
  roots: Map<DocumentType, Map<string, number[]>>;
  lookups: Map<LookupEdge, Set<unknown>>;
  size: number;
  /**
   * Version for the documents: where the newest transaction's commit record ends. Not where it
   * starts: the other writers (backfill, reconciliation, replay) version their copies with
   * pg_current_wal_lsn() taken before they load, and a transaction committed just after can
   * have its commit record start exactly there. With equal versions the engine refuses the
   * second write, and the stream's newer copy was lost; the end is always beyond.
   */
  versionLsn: string | null;
  /** Acknowledge up to here once written: end of the newest complete transaction. */
  ackLsn: string | null;
  /** When the indexer saw the window's first commit (for the lag metric). */
  oldestCommitAt: number | null;
  /** When Postgres committed the window's first transaction (ms since the epoch). */
  oldestCommitTime: number | null;
}

/** The LSN one byte before `lsn` ("X/Y", hexadecimal halves). */
export function previousLsn(lsn: string): string {
  return versionToLsn(Math.max(0, lsnToVersion(lsn) - 1));
}

/** The LSN one byte after `lsn`. */
export function nextLsn(lsn: string): string {
  return versionToLsn(lsnToVersion(lsn) + 1);
}

const emptyWindow = (): Window => ({ roots: new Map(), lookups: new Map(), size: 0, versionLsn: null, ackLsn: null, oldestCommitAt: null, oldestCommitTime: null });
/** A window is never shorter than this: the changes queued behind a write get in it (see the commit case). */
const MIN_WINDOW_MS = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LOOKUP_PAGE = 5000;

export function createIndexer(deps: IndexerDeps, options: IndexerOptions) {
  const windowMs = options.windowMs ?? 50;
  const maxWindowRoots = options.maxWindowRoots ?? 5000;
  const log = deps.log.child({ component: 'indexer' });
  let service: LogicalReplicationService | undefined;
  let running = false;
  let window = emptyWindow();
  let inTransaction = false;
  let transactionLsn: string | null = null;
  let transactionXid = 0;
  let transactionCommitTime = 0;
  let acknowledgedLsn: string | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  /** The window's time ran out inside a transaction: write it at that transaction's commit. */
  let windowDue = false;
  const builds: Promise<unknown>[] = [];
  const written: IndexerCounters = { indexed: 0, deleted: 0, stale: 0, deadLettered: 0, unchanged: 0, covered: 0 };
  // What the stream last wrote per document, so that a document it reloads unchanged (the
  // stream behind changes it has already picked up) is not written again (unchanged.ts).
  const unchanged = new Map(DOCUMENT_TYPES.map((type) => [type, new UnchangedDocuments()]));
  // `meridian status` runs in another process: it reads the counters as last saved.
  const startedAt = new Date();
  let savedWritten: string | null = null;
  let statsTimer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  function saveStats(): Promise<void> {
    // One save at a time, each reading the counters when its turn comes: a slow save from the
    // timer must not land after the final one at stop and leave older counters behind.
    saving = saving.catch(() => undefined).then(async () => {
      const counters = { ...written };
      const snapshot = JSON.stringify(counters);
      if (snapshot === savedWritten) return;
      await saveIndexerStats(deps.db, options.slotName, startedAt, counters);
      savedWritten = snapshot;
    });
    return saving;
  }
  const saveStatsQuietly = () => saveStats().catch((error) => log.debug('indexer: could not save its counters', { error: (error as Error).message }));
  const refreshGapMs = options.refreshGapMs ?? 250;
  const pacer = refreshGapMs > 0 && !options.refresh ? new RefreshPacer((index) => deps.search.refresh(index), refreshGapMs, log) : undefined;

  /** Serialises stream handling, timer flushes and keepalive answers. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };

  function collect(table: string, rows: Array<Record<string, unknown> | null | undefined>): void {
    const edges = EDGES_BY_TABLE.get(table);
    if (!edges) return;
    for (const row of rows) {
      if (!row) continue;
      for (const edge of edges) {
        const value = row[edge.column];
        if (value === null || value === undefined) continue;
        if (edge.kind === 'direct') {
          let roots = window.roots.get(edge.document);
          if (!roots) window.roots.set(edge.document, (roots = new Map()));
          const xids = roots.get(value as string);
          if (!xids) {
            roots.set(value as string, [transactionXid]);
            window.size++;
          } else if (xids[xids.length - 1] !== transactionXid) {
            xids.push(transactionXid);
          }
        } else {
          let set = window.lookups.get(edge);
          if (!set) window.lookups.set(edge, (set = new Set()));
          if (!set.has(value)) {
            set.add(value);
            window.size++;
          }
        }
      }
    }
  }

  /**
   * Expands lookups (fan-out) into root ids, page by page, writing as it goes. A root id that
   * came from a lookup has no transactions (null): it is always loaded.
   */
  async function writeWindow(batch: Window, versionLsn: string): Promise<void> {
    const pending = new Map([...batch.roots].map(([type, roots]) => [type, new Map<string, number[] | null>(roots)]));
    const flushType = async (type: DocumentType, roots: Map<string, number[] | null>) => {
      if (roots.size === 0) return;
      const targets = await writeTargets(deps, type);
      if (targets.length === 0) return;
      // Documents whose last write already includes every transaction that changed them here
      // (the stream behind, loading them after those commits): not even loaded again.
      const memory = unchanged.get(type)!;
      memory.enter(await writingContext(deps.db, targets));
      const ids = [...roots].filter(([id, xids]) => !(xids && memory.covers(id, xids))).map(([id]) => id);
      written.covered += roots.size - ids.length;
      if (ids.length === 0) return;
      const stats = await writeRoots(deps, type, targets, new Map(ids.map((id) => [id, versionLsn])), { refresh: options.refresh, unchanged: memory });
      written.indexed += stats.indexed;
      written.deleted += stats.deleted;
      written.stale += stats.stale;
      written.deadLettered += stats.deadLettered;
      written.unchanged += stats.unchanged;
      if (stats.indexed + stats.deleted > 0) for (const target of targets) pacer?.written(target);
    };
    for (const [edge, keys] of batch.lookups) {
      const keyList = [...keys] as string[];
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const { rows } = await deps.db.raw<{ rows: Array<{ root_id: string }> }>(edge.sql, [keyList, after, LOOKUP_PAGE]);
        if (rows.length === 0) break;
        const roots = pending.get(edge.document) ?? new Map<string, number[] | null>();
        pending.set(edge.document, roots);
        for (const row of rows) roots.set(row.root_id, null);
        after = rows[rows.length - 1]!.root_id;
        // A renamed skill can touch most documents: write them in bounded slices.
        if (roots.size >= maxWindowRoots) {
          await flushType(edge.document, roots);
          pending.set(edge.document, new Map());
        }
        if (rows.length < LOOKUP_PAGE) break;
      }
    }
    for (const [type, roots] of pending) await flushType(type, roots);
  }

  /** Writes the window, retrying with back-off until it succeeds or the indexer stops. */
  async function flush(reason: string): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    windowDue = false;
    const batch = window;
    const versionLsn = batch.versionLsn ?? (transactionLsn && nextLsn(transactionLsn));
    if (batch.size === 0 || versionLsn === null) {
      if (batch.ackLsn) await acknowledge(batch.ackLsn);
      window = emptyWindow();
      return;
    }
    window = emptyWindow();
    // From the window's first commit in Postgres to the write, and the write: the indexer's
    // share of freshness (the engine's refresh comes after).
    const started = performance.now();
    const waitedMs = batch.oldestCommitTime === null ? 0 : Date.now() - batch.oldestCommitTime;
    let delay = 200;
    for (let attempt = 1; ; attempt++) {
      try {
        await writeWindow(batch, versionLsn);
        break;
      } catch (error) {
        if (!running) throw error;
        log.warn('indexer: write failed, retrying without acknowledging', { attempt, delayMs: delay, reason, error: (error as Error).message });
        await sleep(delay);
        delay = Math.min(30_000, delay * 2);
      }
    }
    log.debug('indexer: window written', { documents: batch.size, reason, waitedMs, writeMs: Math.round(performance.now() - started) });
    if (batch.ackLsn) await acknowledge(batch.ackLsn);
  }

  /**
   * Tells Postgres everything before `lsn` is written. `lsn` is an end position (a commit's
   * end, or the server's position in a keepalive): the first byte not yet needed. The library
   * sends its argument + 1 ("the last byte received"), so it gets `lsn` − 1: given `lsn` itself,
   * the slot confirmed one byte too far, and a transaction whose commit record began exactly
   * at `lsn` was taken as confirmed and never sent again after a restart.
   */
  async function acknowledge(lsn: string): Promise<void> {
    if (!service) return;
    await service.acknowledge(previousLsn(lsn));
    acknowledgedLsn = lsn;
  }

  async function onMessage(message: Pgoutput.Message): Promise<void> {
    switch (message.tag) {
      case 'begin':
        inTransaction = true;
        transactionLsn = message.commitLsn;
        transactionXid = message.xid;
        // The library gives microseconds since the Unix epoch; kept in milliseconds.
        transactionCommitTime = Number((message.commitTime as bigint) / 1000n);
        return;
      case 'insert':
        collect(message.relation.name, [message.new]);
        break;
      case 'update':
        collect(message.relation.name, [message.new, message.old, message.key]);
        break;
      case 'delete':
        collect(message.relation.name, [message.old, message.key]);
        break;
      case 'truncate': {
        // Every document of the type may be gone: rebuild it rather than guess.
        const types = new Set(message.relations.flatMap((relation) => (EDGES_BY_TABLE.get(relation.name) ?? []).map((edge) => edge.document)));
        for (const type of types) await rebuildAfterTruncate(type);
        break;
      }
      case 'commit':
        inTransaction = false;
        window.versionLsn = message.commitEndLsn;
        window.ackLsn = message.commitEndLsn;
        window.oldestCommitAt ??= Date.now();
        window.oldestCommitTime ??= transactionCommitTime;
        if (window.size >= maxWindowRoots) await flush('window full');
        else if (windowDue) await flush('window elapsed');
        else if (!timer) {
          // The window is counted from the first commit, not from when the indexer got to it:
          // changes that queued behind the previous write have waited already, and writing
          // them at once is both fresher and fuller than waiting a whole window more.
          const waited = Date.now() - window.oldestCommitTime;
          const delay = Math.max(MIN_WINDOW_MS, Math.min(windowMs, windowMs - waited));
          timer = setTimeout(() => void exclusive(async () => {
            timer = undefined;
            // Between two messages of a transaction: the window holds part of it, and its
            // documents must carry its commit LSN, not the previous one. Written at its commit.
            if (inTransaction) windowDue = true;
            else await flush('window elapsed');
          }).catch((error) => log.error('indexer: flush failed', { error: (error as Error).message })), delay);
        }
        return;
      default:
        return;
    }
    // Inside a huge transaction: write what we have (it is committed) but acknowledge nothing
    // until its commit message has been seen and everything written.
    if (inTransaction && window.size >= maxWindowRoots) {
      const ackLsn = window.ackLsn;
      window.ackLsn = null;
      // Its end is not known before its commit message; one byte into its commit record is
      // past anything another writer can have read, and below the end it is written at last.
      window.versionLsn = nextLsn(transactionLsn!);
      await flush('large transaction');
      window.ackLsn = ackLsn;
    }
  }

  function scheduleBuild(type: DocumentType, consistentLsn?: string, started?: BuildRow): void {
    builds.push((async () => {
      const build = started ?? (await startBuild(deps, type, consistentLsn));
      await runBuild(deps, build, (done) => log.debug('backfill: progress', { type, done }));
    })().catch((error) => {
      // Abandoned for a newer build (a truncate, a new slot), which is under way already.
      if (error instanceof BuildAbandonedError) log.info('backfill: build abandoned for a newer one', { type, error: error.message });
      else log.error('backfill failed; it resumes at the next start', { type, error: (error as Error).message });
    }));
  }

  /**
   * A truncate: every document of the type may be gone, so it is rebuilt from scratch (a build
   * in progress copied pages from before it). The build is recorded before the truncate's
   * commit can be acknowledged — a rebuild owed only in memory was lost with the engine down
   * or the process gone — so this waits, retrying, until the engine takes the new index.
   */
  async function rebuildAfterTruncate(type: DocumentType): Promise<void> {
    let delay = 200;
    for (;;) {
      try {
        scheduleBuild(type, undefined, await startBuild(deps, type, undefined, { fresh: 'a truncate during the build' }));
        return;
      } catch (error) {
        if (!running) throw error;
        log.warn('indexer: could not start the rebuild a truncate needs; retrying without acknowledging', { type, delayMs: delay, error: (error as Error).message });
        await sleep(delay);
        delay = Math.min(30_000, delay * 2);
      }
    }
  }

  async function ensureSlot(): Promise<{ created: boolean; lsn: string | null }> {
    const { rows } = await deps.db.raw<{ rows: Array<{ wal_status: string | null; confirmed_flush_lsn: string | null }> }>(
      'SELECT wal_status, confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?', [options.slotName]);
    const slot = rows[0];
    if (slot && slot.wal_status !== 'lost') return { created: false, lsn: slot.confirmed_flush_lsn };
    if (slot) {
      // The server dropped WAL the slot still needed: changes were lost, so rebuild everything.
      log.error('indexer: replication slot lost its WAL; dropping it and rebuilding every index', { slot: options.slotName });
      await deps.db.raw('SELECT pg_drop_replication_slot(?)', [options.slotName]);
    }
    const created = await deps.db.raw<{ rows: Array<{ lsn: string }> }>("SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'pgoutput')", [options.slotName]);
    log.info('indexer: replication slot created', { slot: options.slotName, lsn: created.rows[0]!.lsn });
    return { created: true, lsn: created.rows[0]!.lsn };
  }

  async function recoverSlot(): Promise<void> {
    const slot = await ensureSlot();
    if (!slot.created) return;
    log.error('indexer: the replication slot was gone; rebuilding every index from Postgres', { slot: options.slotName });
    // A build in progress had its earlier pages written before the gap: start it over.
    await abandonBuilds(deps, 'replication slot lost during the build');
    for (const type of DOCUMENT_TYPES) scheduleBuild(type, slot.lsn ?? undefined);
  }

  async function consume(): Promise<void> {
    let delay = 500;
    while (running) {
      const replication = new LogicalReplicationService({ connectionString: options.databaseUrl }, {
        acknowledge: { auto: false, timeoutSeconds: 0 },
        flowControl: { enabled: true },
      });
      service = replication;
      replication.on('data', (_lsn: string, message: Pgoutput.Message) => exclusive(() => onMessage(message)));
      replication.on('heartbeat', (lsn: string, _timestamp: number, shouldRespond: boolean) => {
        if (!shouldRespond) return;
        void exclusive(async () => {
          // Idle (nothing received and unwritten): the server's position is safe to confirm,
          // which keeps an idle slot from holding WAL forever. Otherwise: what is written.
          if (!inTransaction && window.size === 0 && window.ackLsn === null && !timer) await acknowledge(lsn);
          else if (acknowledgedLsn) await acknowledge(acknowledgedLsn);
        }).catch(() => undefined);
      });
      replication.on('error', (error: Error) => log.warn('indexer: replication error', { error: error.message }));
      // The counters are saved (for `meridian status`, in the slot's one row) once this process
      // streams from the slot: a second indexer waiting for it, the slot in use, must not
      // overwrite the running one's.
      replication.once('start', () => {
        if (statsTimer) return;
        void saveStatsQuietly();
        statsTimer = setInterval(() => void saveStatsQuietly(), options.statsEveryMs ?? 10_000);
        statsTimer.unref();
      });
      try {
        await replication.subscribe(new PgoutputPlugin({ protoVersion: 1, publicationNames: [PUBLICATION] }), options.slotName);
        delay = 500;
      } catch (error) {
        if (running) log.warn('indexer: replication connection lost; reconnecting', { delayMs: delay, error: (error as Error).message });
      }
      await replication.destroy().catch(() => undefined);
      // Whatever was received but not acknowledged is sent again after reconnecting.
      window = emptyWindow();
      inTransaction = false;
      windowDue = false;
      // A slot dropped or invalidated under a running indexer is never reconnected to: the
      // changes it no longer holds are gone, so recreate it and rebuild from Postgres.
      if (running) await recoverSlot().catch((error) => log.warn('indexer: could not check the replication slot', { error: (error as Error).message }));
      if (running) {
        await sleep(delay);
        delay = Math.min(30_000, delay * 2);
      }
    }
  }

  let consuming: Promise<void> | undefined;

  return {
    async start(): Promise<void> {
      running = true;
      const slot = await ensureSlot();
      // A new slot (first start, or the old one gone while stopped): changes made before it are
      // not in the stream, so a build left unfinished copied pages that may be out of date.
      if (slot.created) await abandonBuilds(deps, 'no replication slot covered the time since the build started');
      // Disk only: an index left behind by a crash is not worth failing the start for.
      await sweepRetiredIndices(deps).catch((error) => log.warn('indexer: could not delete the indices of retired builds', { error: (error as Error).message }));

      for (const type of DOCUMENT_TYPES) {
        const building = await deps.db('search_index_builds').where({ document_type: type, status: 'building' }).first();
        if (slot.created || building || (await needsBuild(deps, type))) scheduleBuild(type, slot.created ? slot.lsn ?? undefined : undefined);
      }
      consuming = consume();
    },
    /** Resolves when every backfill started so far has finished (or failed). */
    async buildsSettled(): Promise<void> {
      while (builds.length > 0) await builds.shift();
    },
    async stop(): Promise<void> {
      running = false;
      if (timer) clearTimeout(timer);
      pacer?.stop();
      await service?.stop().catch(() => undefined);
      await chain.catch(() => undefined);
      await consuming;
      await Promise.allSettled(builds);
      clearInterval(statsTimer);
      if (statsTimer) await saveStatsQuietly();
    },
    /** Saves the `written` counters now (they are saved every `statsEveryMs` anyway). */
    saveStats,
    async status(): Promise<IndexerStatus> {
      const { rows } = await deps.db.raw<{ rows: Array<{ lag: string | null }> }>(
        'SELECT (pg_current_wal_lsn() - confirmed_flush_lsn)::text AS lag FROM pg_replication_slots WHERE slot_name = ?', [options.slotName]);
      const buildRows = await deps.db<BuildRow>('search_index_builds').whereIn('status', ['building', 'active']).select('document_type', 'index_name', 'status', 'documents');
      return {
        slot: options.slotName, running, acknowledgedLsn,
        lagBytes: rows[0]?.lag == null ? null : Number(rows[0].lag),
        lagSeconds: window.oldestCommitAt ? (Date.now() - window.oldestCommitAt) / 1000 : 0,
        pendingDocuments: window.size, builds: buildRows, written: { ...written },
      };
    },
  };
}

export type Indexer = ReturnType<typeof createIndexer>;

export { slotNameFor } from '../src/db/slot.js';

