/**
 * The content the stream last wrote for each document, so it need not write it again.
 *
 * Behind on a burst of changes, the stream loads each document as it is now, so the first
 * change to a document it processes already brings in the later ones; when those come through,
 * the document it loads is the one it has just written. Skipping that write spares the engine
 * its most expensive work (a whole document analysed and its vector inserted again).
 *
 * Sound only while the index still holds what the stream wrote: the memory is scoped to a
 * context — which physical indices are written, and the other-writers generation
 * (other-writers.ts) — and forgotten when that changes. A document is remembered only once
 * every target applied the write (not refused as stale, not dead-lettered). Bounded: the
 * least recently written are forgotten first (they are the least likely to come back soon).
 */
import { createHash } from 'node:crypto';

export const UNCHANGED_CAPACITY = 100_000;

/** A short digest of a document's content (without its vector: see writer.ts). */
export function contentFingerprint(searchable: boolean, document: Record<string, unknown>, encoderVersion: string | undefined): string {
  if (!searchable) return 'absent';
  return createHash('sha256').update(encoderVersion ?? '').update('\n').update(JSON.stringify(document)).digest('base64url').slice(0, 22);
}

export class UnchangedDocuments {
  #context: string | null = null;
  readonly #fingerprints = new Map<string, string>();

  constructor(readonly capacity = UNCHANGED_CAPACITY) {}

  /**
   * Starts a batch in `context` (null: another writer is at work, rely on nothing). A context
   * other than the current one forgets everything.
   */
  enter(context: string | null): void {
    if (context !== this.#context) this.#fingerprints.clear();
    this.#context = context;
  }

  /** Whether the index holds exactly this content for `id`, written by the stream. */
  holds(id: string, fingerprint: string): boolean {
    return this.#context !== null && this.#fingerprints.get(id) === fingerprint;
  }

  /** Records a write that every target applied, made in `context`; ignored if that is no longer current. */
  remember(id: string, fingerprint: string, context: string | null): void {
    this.#fingerprints.delete(id);
    if (context === null || context !== this.#context) return;
    this.#fingerprints.set(id, fingerprint);
    if (this.#fingerprints.size > this.capacity) this.#fingerprints.delete(this.#fingerprints.keys().next().value!);
  }

  forget(id: string): void {
    this.#fingerprints.delete(id);
  }

  get size(): number {
    return this.#fingerprints.size;
  }
}
