/**
 * The content the stream last wrote for each document, so it need not write it again.
 *
 * Behind on a burst of changes, the stream loads each document as it is now, so the first
 * change to a document it processes already brings in the later ones; when those come through,
 * the document it loads is the one it has just written. Skipping that write spares the engine
 * its most expensive work (a whole document analysed and its vector inserted again).
 *
 * When the change is known by its transaction (a row whose root id it carries), even loading
 * the document again is unnecessary: if the snapshot the stream loaded it in saw that
 * transaction, the document in the index already includes it (`covers`).
 *
 * Sound only while the index still holds what the stream wrote: the memory is scoped to a
 * context — which physical indices are written, and the other-writers generation
 * (other-writers.ts) — and forgotten when that changes. A document is remembered only once
 * every target applied the write (not refused as stale, not dead-lettered). Bounded: the
 * least recently written are forgotten first (they are the least likely to come back soon).
 */
import { createHash } from 'node:crypto';
import { sawTransaction, type Snapshot } from './snapshot.js';

export const UNCHANGED_CAPACITY = 100_000;
/**
 * How long a write can cover later transactions. Coalescing a backlog is a matter of seconds;
 * the limit also keeps the 32-bit transaction ids pgoutput gives far from wrapping around.
 */
export const COVER_MAX_AGE_MS = 10 * 60_000;

interface Written {
  fingerprint: string;
  /** The snapshot the written content was loaded in, when known. */
  snapshot: Snapshot | null;
  at: number;
}

/** A short digest of a document's content (without its vector: see writer.ts). */
export function contentFingerprint(searchable: boolean, document: Record<string, unknown>, encoderVersion: string | undefined): string {
  if (!searchable) return 'absent';
  return createHash('sha256').update(encoderVersion ?? '').update('\n').update(JSON.stringify(document)).digest('base64url').slice(0, 22);
}

export class UnchangedDocuments {
  #context: string | null = null;
  readonly #written = new Map<string, Written>();

  constructor(readonly capacity = UNCHANGED_CAPACITY) {}

  /**
   * Starts a batch in `context` (null: another writer is at work, rely on nothing). A context
   * other than the current one forgets everything.
   */
  enter(context: string | null): void {
    if (context !== this.#context) this.#written.clear();
    this.#context = context;
  }

  /** Whether the index holds exactly this content for `id`, written by the stream. */
  holds(id: string, fingerprint: string): boolean {
    return this.#context !== null && this.#written.get(id)?.fingerprint === fingerprint;
  }

  /**
   * Whether the index holds, for `id`, content written by the stream that already includes
   * every one of the committed transactions `xids`.
   */
  covers(id: string, xids: readonly number[], now = Date.now()): boolean {
    if (this.#context === null) return false;
    const written = this.#written.get(id);
    if (!written?.snapshot || now - written.at > COVER_MAX_AGE_MS) return false;
    return xids.length > 0 && xids.every((xid) => sawTransaction(written.snapshot!, xid));
  }

  /** Records a write that every target applied, made in `context`; ignored if that is no longer current. */
  remember(id: string, fingerprint: string, context: string | null, snapshot: Snapshot | null = null, now = Date.now()): void {
    this.#written.delete(id);
    if (context === null || context !== this.#context) return;
    this.#written.set(id, { fingerprint, snapshot, at: now });
    if (this.#written.size > this.capacity) this.#written.delete(this.#written.keys().next().value!);
  }

  forget(id: string): void {
    this.#written.delete(id);
  }

  get size(): number {
    return this.#written.size;
  }
}
