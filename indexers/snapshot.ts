/**
 * Which committed transactions a Postgres snapshot saw. The loader reads each batch with
 * `pg_current_snapshot()` ("xmin:xmax:xip,…", 64-bit transaction ids); pgoutput names a
 * transaction by its 32-bit xid. A committed transaction is in the snapshot when it is below
 * xmin, or below xmax and not among those in progress (xip) when the snapshot was taken.
 */
export interface Snapshot {
  xmin: bigint;
  xmax: bigint;
  inProgress: ReadonlySet<bigint>;
}

export function parseSnapshot(text: string): Snapshot {
  const match = /^(\d+):(\d+):([\d,]*)$/.exec(text);
  if (!match) throw new Error(`not a pg_snapshot: ${text}`);
  return { xmin: BigInt(match[1]!), xmax: BigInt(match[2]!), inProgress: new Set(match[3] ? match[3].split(',').map(BigInt) : []) };
}

const EPOCH = 2n ** 32n;

/**
 * Whether `snapshot` saw the committed transaction `xid` (32-bit, as pgoutput gives it). The
 * xid is widened with the epoch of the snapshot's xmax, the nearest reading for a transaction
 * close to it; the caller only asks about transactions committed minutes from the snapshot,
 * never 2^31 transactions away.
 */
export function sawTransaction(snapshot: Snapshot, xid: number): boolean {
  let wide = (snapshot.xmax / EPOCH) * EPOCH + BigInt(xid >>> 0);
  if (wide >= snapshot.xmax + EPOCH / 2n) wide -= EPOCH;
  else if (wide < snapshot.xmax - EPOCH / 2n) wide += EPOCH;
  if (wide >= snapshot.xmax) return false;
  return wide < snapshot.xmin || !snapshot.inProgress.has(wide);
}
