/**
 * Writes documents for root ids into every target index, versioned by commit LSN. A
 * document the engine rejects for good goes to the dead-letter table and never blocks the
 * stream; an engine that is down or overloaded raises, so the caller backs off without
 * acknowledging (DESIGN §5).
 */
import type { Knex } from 'knex';
import { ServiceError } from '../src/errors.js';
import type { Logger } from '../src/log.js';
import { lsnToVersion, type BulkOperation, type BulkResult, type SearchBackend } from '../src/search/backend.js';
import { EMBEDDING_DIMENSION, type DocumentType } from '../src/search/indices.js';
import { loadDocumentsWithSnapshot } from '../src/db/documents.js';
import type { Encoder } from '../src/matching/encoder.js';
import { EmbeddingCache } from '../src/matching/embedding-cache.js';
import { candidateText, opportunityText } from '../src/matching/document-text.js';
import { contentFingerprint, type UnchangedDocuments } from './unchanged.js';
import { otherWritersState } from './other-writers.js';
import { parseSnapshot } from './snapshot.js';

export const LOAD_BATCH = 500;

export interface WriterDeps {
  db: Knex;
  search: SearchBackend;
  log: Logger;
  /** The active text encoder: documents carry its vector when the engine can hold vectors. */
  encoder?: Encoder;
}

export interface WriteStats {
  indexed: number;
  deleted: number;
  stale: number;
  deadLettered: number;
  /** Documents not written: the index holds this very content, written by the stream (see UnchangedDocuments). */
  unchanged: number;
}

export interface WriteOptions {
  refresh?: boolean;
  /** The stream's memory of what it wrote: documents it holds unchanged are not written again. */
  unchanged?: UnchangedDocuments;
}

/** Thrown when the engine is unavailable or asks us to slow down: retry later, do not ack. */
export class RetryLaterError extends ServiceError {
  constructor(message: string, cause?: unknown) {
    super('search_retry_later', message, cause);
  }
}

/** A write's target index no longer exists; retrying reads the targets afresh. */
export class IndexGoneError extends RetryLaterError {
  constructor(readonly index: string, reason: string) {
    super(`index ${index} is gone: ${reason}`);
  }
}

/** One cache per encoder for the life of the process (backfill and stream share it). */
const embeddingCaches = new WeakMap<Encoder, EmbeddingCache>();
function embeddingCacheOf(encoder: Encoder): EmbeddingCache {
  let cache = embeddingCaches.get(encoder);
  if (!cache) embeddingCaches.set(encoder, (cache = new EmbeddingCache(encoder)));
  return cache;
}

/**
 * The context a stream write is remembered in (UnchangedDocuments): which indices it goes to
 * and the other-writers generation; null while another writer is at work. Read after loading.
 */
export async function writingContext(db: Knex, targets: readonly string[]): Promise<string | null> {
  const generation = await otherWritersState(db);
  return generation === null ? null : `${generation} ${targets.join(' ')}`;
}

export async function writeRoots(deps: WriterDeps, type: DocumentType, targets: readonly string[], versions: ReadonlyMap<string, string>, options: WriteOptions = {}): Promise<WriteStats> {
  const stats: WriteStats = { indexed: 0, deleted: 0, stale: 0, deadLettered: 0, unchanged: 0 };
  const ids = [...versions.keys()];
  const { unchanged } = options;
  // Loading batch k+1 from Postgres overlaps the bulk write of batch k: the two are on
  // different servers, so neither waits for the other.
  let writing: Promise<void> = Promise.resolve();
  for (let start = 0; start < ids.length; start += LOAD_BATCH) {
    const { documents, snapshot: loadedIn } = await loadDocumentsWithSnapshot(deps.db, type, ids.slice(start, start + LOAD_BATCH));
    const snapshot = unchanged && loadedIn ? parseSnapshot(loadedIn) : null;
    // Read after the load: another writer that starts later loads later, so its copy is at
    // least as new as this batch's (other-writers.ts).
    let context: string | null = null;
    if (unchanged) {
      context = await writingContext(deps.db, targets);
      unchanged.enter(context);
    }
    const withVectors = deps.encoder && (await deps.search.supportsVectors());
    if (withVectors && deps.encoder!.config.dimension !== EMBEDDING_DIMENSION) {
      throw new ServiceError('encoder_mismatch', `encoder ${deps.encoder!.version} makes ${deps.encoder!.config.dimension}-dimensional vectors; the indices hold ${EMBEDDING_DIMENSION}`);
    }
    // The fingerprint leaves the vector out: it follows from the text and the encoder version.
    const fingerprints = new Map(unchanged ? documents.map((doc) => [doc.id, contentFingerprint(doc.searchable, doc.document, withVectors ? deps.encoder!.version : undefined)]) : []);
    const toWrite = unchanged ? documents.filter((doc) => !unchanged.holds(doc.id, fingerprints.get(doc.id)!)) : documents;
    stats.unchanged += documents.length - toWrite.length;
    if (withVectors) {
      const text = type === 'candidates' ? candidateText : opportunityText;
      const cache = embeddingCacheOf(deps.encoder!);
      for (const doc of toWrite) if (doc.searchable) doc.document.embedding = Array.from(cache.embed(text(doc.document)));
    }
    const operations: BulkOperation[] = toWrite.map((doc) => {
      const version = lsnToVersion(versions.get(doc.id)!);
      return doc.searchable ? { action: 'index', id: doc.id, version, document: doc.document } : { action: 'delete', id: doc.id, version };
    });
    await writing;
    if (operations.length === 0) continue;
    writing = writeBatch(deps, type, targets, versions, operations, stats, options).then((notApplied) => {
      // What every target applied is what the index now holds.
      for (const op of operations) {
        if (notApplied.has(op.id)) unchanged?.forget(op.id);
        else unchanged?.remember(op.id, fingerprints.get(op.id)!, context, snapshot);
      }
    }, (error: unknown) => {
      // Some targets may hold the new content already, others the old: know nothing of these.
      for (const op of operations) unchanged?.forget(op.id);
      throw error;
    });
    // Keep a failure for the await above (or below) instead of an unhandled rejection.
    writing.catch(() => undefined);
  }
  await writing;
  return stats;
}

/** Writes one batch into every target; resolves with the ids some target did not apply (stale or dead-lettered). */
async function writeBatch(deps: WriterDeps, type: DocumentType, targets: readonly string[], versions: ReadonlyMap<string, string>, operations: BulkOperation[], stats: WriteStats, options: { refresh?: boolean }): Promise<Set<string>> {
  const notApplied = new Set<string>();
  for (const target of targets) {
    let result;
    try {
      result = await bulkSideBySide(deps.search, target, operations, options);
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'search_rejected') throw error;
      throw new RetryLaterError(`bulk write to ${target} failed: ${(error as Error).message}`, error);
    }
    // The index itself gone (a build abandoned between reading the targets and writing): not
    // the documents' fault, so no dead letters; the caller reads its targets again.
    const gone = result.failures.find((f) => f.type === 'index_not_found_exception');
    if (gone) throw new IndexGoneError(target, gone.reason);
    const retryable = result.failures.filter((f) => f.retryable);
    if (retryable.length > 0) throw new RetryLaterError(`${retryable.length} documents refused for now by ${target} (${retryable[0]!.type}: ${retryable[0]!.reason})`);
    stats.stale += result.stale;
    for (const id of result.staleIds) notApplied.add(id);
    for (const failure of result.failures) {
      notApplied.add(failure.id);
      await deadLetter(deps, type, target, failure.id, versions.get(failure.id)!, failure.status, failure.type, failure.reason);
      stats.deadLettered++;
    }
    if (result.failures.length > 0) deps.log.warn('indexer: documents dead-lettered', { type, target, count: result.failures.length, first: result.failures[0] });
  }
  for (const op of operations) {
    if (op.action === 'index') stats.indexed++;
    else stats.deleted++;
  }
  return notApplied;
}

/**
 * Bulk requests in flight at once for one batch. The engine indexes one bulk request into a
 * shard on one write thread: one request at a time leaves the other core idle. Two requests
 * side by side took the same 10,000 candidate documents at 3,063–3,549 docs/s against
 * 2,128–2,153 one at a time, for the same CPU per document (README, CDC indexer).
 */
export const BULK_REQUESTS_IN_FLIGHT = 2;
/** Below this many operations a batch goes as one request: splitting it gains nothing. */
const MIN_SPLIT = 64;

/** `bulk`, the operations split into side-by-side requests; one result, as one request would give. */
async function bulkSideBySide(search: SearchBackend, target: string, operations: BulkOperation[], options: { refresh?: boolean }): Promise<BulkResult> {
  const parts = operations.length < MIN_SPLIT ? 1 : BULK_REQUESTS_IN_FLIGHT;
  const size = Math.ceil(operations.length / parts);
  const settled = await Promise.allSettled(Array.from({ length: parts }, (_, i) => search.bulk(target, operations.slice(i * size, (i + 1) * size), options)));
  const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  const results = settled.map((outcome) => (outcome as PromiseFulfilledResult<BulkResult>).value);
  return {
    applied: results.reduce((sum, r) => sum + r.applied, 0),
    stale: results.reduce((sum, r) => sum + r.stale, 0),
    staleIds: results.flatMap((r) => r.staleIds),
    failures: results.flatMap((r) => r.failures),
  };
}

async function deadLetter(deps: WriterDeps, type: DocumentType, index: string, rootId: string, lsn: string, status: number, errorType: string, error: string): Promise<void> {
  await deps.db.raw(`
    INSERT INTO search_dead_letters (document_type, root_id, index_name, lsn, status_code, error_type, error)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (document_type, root_id, index_name) WHERE replayed_at IS NULL
    DO UPDATE SET attempts = search_dead_letters.attempts + 1, last_failed_at = now(), lsn = EXCLUDED.lsn,
      status_code = EXCLUDED.status_code, error_type = EXCLUDED.error_type, error = EXCLUDED.error`,
  [type, rootId, index, lsn, status, errorType, error.slice(0, 4000)]);
}
