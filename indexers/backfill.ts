/**
 * Backfill and reindex (DESIGN §5): build a new physical index from Postgres in keyset pages,
 * resumable after a crash, while the stream keeps writing into it, then flip the alias in
 * one request. Documents get the build's consistent LSN as their version, so any change the
 * stream carries (a higher LSN) wins over the backfill's copy, whatever the order.
 */
import type { Knex } from 'knex';
import { aliasName, DOCUMENT_TYPES, indexDefinition, MAPPING_VERSIONS, mappingVersionOf, physicalIndexName, type DocumentType } from '../src/search/indices.js';
import { IndexGoneError, writeRoots, type WriterDeps } from './writer.js';
import { ServiceError } from '../src/errors.js';
import { asOtherWriter } from './other-writers.js';

export const BACKFILL_PAGE = 1000;

const ROOT_TABLE: Record<DocumentType, string> = { candidates: 'candidates', opportunities: 'opportunities' };

export interface BuildRow {
  id: string;
  document_type: DocumentType;
  index_name: string;
  status: 'building' | 'active' | 'replaced' | 'abandoned';
  consistent_lsn: string;
  cursor: string | null;
  documents: number;
  encoder_version: string | null;
}

export interface IndexerDeps extends WriterDeps {
  prefix: string;
}

export async function currentWalLsn(db: Knex): Promise<string> {
  const { rows } = await db.raw<{ rows: Array<{ lsn: string }> }>('SELECT pg_current_wal_lsn()::text AS lsn');
  return rows[0]!.lsn;
}

/** Where the stream must write a document type: the serving index and any index being built. */
export async function writeTargets(deps: IndexerDeps, type: DocumentType): Promise<string[]> {
  const serving = await deps.search.aliasTargets(aliasName(deps.prefix, type));
  const building = await deps.db<BuildRow>('search_index_builds').where({ document_type: type, status: 'building' }).pluck('index_name');
  return [...new Set([...serving, ...building])];
}

/** The encoder version a new build embeds with (none when there is no encoder or no vector field). */
async function encoderVersionFor(deps: IndexerDeps): Promise<string | null> {
  return deps.encoder && (await deps.search.supportsVectors()) ? deps.encoder.version : null;
}

/**
 * Whether the alias is missing, or points at an index built with an older mapping or with
 * vectors from another encoder version than the active one.
 */
export async function needsBuild(deps: IndexerDeps, type: DocumentType): Promise<boolean> {
  const serving = await deps.search.aliasTargets(aliasName(deps.prefix, type));
  if (serving.length === 0) return true;
  if (serving.some((index) => mappingVersionOf(index) !== MAPPING_VERSIONS[type])) return true;
  const active = await deps.db<BuildRow>('search_index_builds').where({ document_type: type, status: 'active' }).first('index_name', 'encoder_version');
  if (!active || !serving.includes(active.index_name)) return false;
  return (active.encoder_version ?? null) !== (await encoderVersionFor(deps));
}

/**
 * Marks every build in progress (of `type`, or of every type) abandoned and deletes its index:
 * pages it copied may hold what Postgres no longer says (a truncate, a gap without a slot).
 * A build running in this process notices at its next page and stops (buildPages).
 */
export async function abandonBuilds(deps: IndexerDeps, reason: string, type?: DocumentType): Promise<void> {
  const unfinished = await deps.db<BuildRow>('search_index_builds').where({ status: 'building' }).modify((q) => { if (type) q.where({ document_type: type }); }).select('id', 'index_name');
  for (const build of unfinished) {
    // Only while it is still building: a build that flipped its alias meanwhile (under the
    // same row lock, see buildPages) is serving, and its index stays.
    const abandoned = await deps.db('search_index_builds').where({ id: build.id, status: 'building' })
      .update({ status: 'abandoned', finished_at: deps.db.fn.now(), error: reason });
    if (abandoned > 0) await deps.search.deleteIndex(build.index_name);
  }
}

/** How many of the latest retired builds each start looks at (crashes leave recent ones). */
const SWEEP_RECENT = 50;

/**
 * Deletes the indices of the latest builds that ended without serving (abandoned) or stopped
 * serving (replaced), where they are still on the cluster. A crash between marking a build
 * abandoned and deleting its index, or between an alias flip and deleting the index it left,
 * leaves one that nothing points at and nothing would delete. An index an alias points at is
 * never deleted. Both statuses are final, so nothing can start serving from one meanwhile.
 */
export async function sweepRetiredIndices(deps: IndexerDeps): Promise<string[]> {
  const retired = await deps.db<BuildRow>('search_index_builds').whereIn('status', ['abandoned', 'replaced'])
    .orderBy('started_at', 'desc').limit(SWEEP_RECENT).pluck('index_name') as string[];
  const serving = new Set((await Promise.all(DOCUMENT_TYPES.map((type) => deps.search.aliasTargets(aliasName(deps.prefix, type))))).flat());
  const deleted: string[] = [];
  for (const index of retired) {
    if (serving.has(index) || !(await deps.search.indexExists(index))) continue;
    await deps.search.deleteIndex(index);
    deleted.push(index);
  }
  if (deleted.length > 0) deps.log.info('indexer: deleted indices of retired builds left on the cluster', { indices: deleted });
  return deleted;
}

/** A build was abandoned while it ran (abandonBuilds); `meridian reindex` fails with it. */
export class BuildAbandonedError extends ServiceError {
  constructor(build: BuildRow, reason: string | null) {
    super('build_abandoned', `The ${build.document_type} build into ${build.index_name} was abandoned while it ran${reason ? ` (${reason})` : ''}; the index it was building is gone`);
  }
}

/**
 * Starts a build (or returns the one in progress, to resume it; with `fresh`, abandons that
 * one and starts over).
 */
export async function startBuild(deps: IndexerDeps, type: DocumentType, consistentLsn?: string, options: { fresh?: string } = {}): Promise<BuildRow> {
  if (options.fresh) await abandonBuilds(deps, options.fresh, type);
  // One start at a time per index (two `meridian reindex`, or one beside the indexer): the
  // second waits, then finds the first's build and joins it, instead of failing on the
  // one-build-at-a-time key and leaving an index no build row names.
  return deps.db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`meridian build ${aliasName(deps.prefix, type)}`]);
    const existing = await trx<BuildRow>('search_index_builds').where({ document_type: type, status: 'building' }).first();
    if (existing) {
      if (await deps.search.indexExists(existing.index_name)) return existing;
      // The index vanished under an unfinished build (cluster wiped): start over.
      await trx('search_index_builds').where({ id: existing.id }).update({ status: 'abandoned', finished_at: trx.fn.now(), error: 'index missing on resume' });
    }
    const lsn = consistentLsn ?? (await currentWalLsn(trx));
    const index = physicalIndexName(deps.prefix, type, Date.now().toString(36));
    await deps.search.createIndex(index, indexDefinition(type, await deps.search.supportsVectors()));
    try {
      const [row] = await trx<BuildRow>('search_index_builds')
        .insert({ document_type: type, index_name: index, mapping_version: MAPPING_VERSIONS[type], consistent_lsn: lsn, encoder_version: await encoderVersionFor(deps) } as never)
        .returning('*');
      deps.log.info('backfill: building a new index', { type, index, consistentLsn: lsn });
      return row as BuildRow;
    } catch (error) {
      await deps.search.deleteIndex(index).catch(() => undefined);
      throw error;
    }
  });
}

/**
 * Runs (or resumes) a build to the end and flips the alias to it. Its pages carry the build's
 * LSN, older than what they load, so it writes as another writer (other-writers.ts).
 */
export async function runBuild(deps: IndexerDeps, build: BuildRow, onProgress?: (done: number) => void, pageSize = BACKFILL_PAGE): Promise<BuildRow> {
  return asOtherWriter(deps.db, () => buildPages(deps, build, onProgress, pageSize));
}

async function buildPages(deps: IndexerDeps, build: BuildRow, onProgress: ((done: number) => void) | undefined, pageSize: number): Promise<BuildRow> {
  const type = build.document_type;
  let cursor = build.cursor;
  let documents = build.documents;
  // Abandoned meanwhile (abandonBuilds): its index is gone, and so is the reason to go on.
  // Finished meanwhile by another process running the same build: done (true).
  const stopIfAbandoned = async (): Promise<boolean> => {
    const row = await deps.db<BuildRow>('search_index_builds').where({ id: build.id }).first('status', 'error') as Pick<BuildRow, 'status'> & { error: string | null };
    if (row.status === 'building') return false;
    if (row.status === 'active') return true;
    deps.log.warn('backfill: the build was abandoned; stopping it', { type, index: build.index_name, reason: row.error });
    throw new BuildAbandonedError(build, row.error);
  };
  const finishedElsewhere = () => ({ ...build, status: 'active' as const, cursor, documents });
  for (;;) {
    if (await stopIfAbandoned()) return finishedElsewhere();
    const ids = await deps.db(ROOT_TABLE[type]).modify((q) => { if (cursor) q.where('id', '>', cursor); }).orderBy('id').limit(pageSize).pluck('id') as string[];
    if (ids.length === 0) break;
    try {
      await writeRoots(deps, type, [build.index_name], new Map(ids.map((id) => [id, build.consistent_lsn])));
    } catch (error) {
      // Abandoned while this page was being written: its index went first.
      if (error instanceof IndexGoneError && (await stopIfAbandoned())) return finishedElsewhere();
      throw error;
    }
    cursor = ids[ids.length - 1]!;
    documents += ids.length;
    await deps.db('search_index_builds').where({ id: build.id }).update({ cursor, documents });
    onProgress?.(documents);
  }
  // A freshly bulk-loaded index has dozens of segments; searches pay per segment. The stream
  // keeps writing into it meanwhile (merging does not block writes).
  deps.log.info('backfill: merging segments', { type, index: build.index_name, documents });
  try {
    await deps.search.forceMerge(build.index_name, 1);
    await deps.search.refresh(build.index_name);
  } catch (error) {
    if (await stopIfAbandoned()) return finishedElsewhere();
    throw error;
  }
  const alias = aliasName(deps.prefix, type);
  const previous = await deps.search.aliasTargets(alias);
  // The flip and the build's activation under its row lock, so an abandonment (which updates
  // the row only while it is building) comes wholly before — and the alias never moves to an
  // index it deleted — or wholly after, and leaves the serving index alone.
  const flipped = await deps.db.transaction(async (trx) => {
    const row = await trx<BuildRow>('search_index_builds').where({ id: build.id }).forUpdate().first('status', 'error') as Pick<BuildRow, 'status'> & { error: string | null };
    // Another process running the same build (a second `meridian reindex` joined it) got here first.
    if (row.status === 'active') return false;
    if (row.status !== 'building') throw new BuildAbandonedError(build, row.error);
    await deps.search.pointAlias(alias, build.index_name);
    await trx('search_index_builds').where({ document_type: type, status: 'active' }).update({ status: 'replaced' });
    await trx('search_index_builds').where({ id: build.id }).update({ status: 'active', finished_at: trx.fn.now(), cursor, documents });
    return true;
  });
  if (!flipped) return finishedElsewhere();
  for (const old of previous.filter((index) => index !== build.index_name)) await deps.search.deleteIndex(old);
  deps.log.info('backfill: alias flipped', { type, alias, index: build.index_name, documents });
  return { ...build, status: 'active', cursor, documents };
}

/** `meridian reindex`: build a fresh index for `type` and flip to it. */
export async function reindex(deps: IndexerDeps, type: DocumentType, onProgress?: (done: number) => void): Promise<BuildRow> {
  return runBuild(deps, await startBuild(deps, type), onProgress);
}
