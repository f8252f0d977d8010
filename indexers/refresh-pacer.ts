/**
 * Makes what the stream wrote searchable soon after the write, instead of at the engine's next
 * scheduled refresh (up to `refresh_interval`, 500 ms, later — half of it on average, and all
 * of it at the tail of freshness).
 *
 * An index is refreshed right after a write to it, but at most once per `minGapMs`: a refresh
 * makes a segment, and the engine merges segments later, so refreshing after every window of
 * a busy stream would cost indexing throughput. Writes that come within the gap are covered by
 * one refresh at its end. The engine's own scheduled refresh stays as it is, for every other
 * writer and in case a refresh here fails (a failure is only logged: nothing is lost, the
 * document is written and becomes visible at the next scheduled refresh).
 */
import type { Logger } from '../src/log.js';

interface IndexState {
  /** When the last refresh started (performance.now()). */
  lastStarted: number;
  inFlight: boolean;
  /** A write came in after the refresh in flight (or the last one) started. */
  dirty: boolean;
  timer?: NodeJS.Timeout;
}

export class RefreshPacer {
  private readonly indices = new Map<string, IndexState>();
  private stopped = false;

  constructor(
    private readonly refresh: (index: string) => Promise<void>,
    private readonly minGapMs: number,
    private readonly log: Logger,
  ) {}

  /** Documents were written to `index`: refresh it now, or at the end of the gap. */
  written(index: string): void {
    if (this.stopped) return;
    let state = this.indices.get(index);
    if (!state) this.indices.set(index, (state = { lastStarted: -Infinity, inFlight: false, dirty: false }));
    state.dirty = true;
    this.schedule(index, state);
  }

  stop(): void {
    this.stopped = true;
    for (const state of this.indices.values()) clearTimeout(state.timer);
    this.indices.clear();
  }

  private schedule(index: string, state: IndexState): void {
    // One refresh at a time per index; the one in flight reschedules when it ends.
    if (state.inFlight || state.timer || !state.dirty) return;
    const wait = state.lastStarted + this.minGapMs - performance.now();
    if (wait > 0) {
      state.timer = setTimeout(() => {
        state.timer = undefined;
        this.schedule(index, state);
      }, wait);
      return;
    }
    state.dirty = false;
    state.inFlight = true;
    state.lastStarted = performance.now();
    this.refresh(index)
      .catch((error) => this.log.debug('indexer: refresh after write failed; the scheduled refresh will show the documents', { index, error: (error as Error).message }))
      .finally(() => {
        state.inFlight = false;
        if (!this.stopped) this.schedule(index, state);
      });
  }
}
