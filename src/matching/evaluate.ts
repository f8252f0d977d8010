/**
 * Offline evaluation of matching (DESIGN §6): graded relevance from O*NET and the ranking
 * metrics reported beside the BM25-only and embedding-only baselines. Pure, so the numbers
 * the evaluation prints can be checked by hand in a unit test; the benchmark that feeds it
 * (reading O*NET, loading Postgres, indexing, ranking) lives in bench/eval.ts.
 *
 * Grades follow ../shared/data/onet/README.md:
 *   3 — the same O*NET-SOC code;
 *   2 — a Primary-Short related occupation;
 *   1 — a Primary-Long or Supplemental related occupation, or the same SOC minor group
 *       (the first four digits, e.g. `15-12`);
 *   0 — anything else.
 */

export type RelatednessTier = 'Primary-Short' | 'Primary-Long' | 'Supplemental';

/** Related Occupations.txt as a lookup: `from → to → tier`. */
export type RelatedIndex = Map<string, Map<string, RelatednessTier>>;

export function relatedIndex(rows: Iterable<{ from: string; to: string; tier: string }>): RelatedIndex {
  const index: RelatedIndex = new Map();
  for (const { from, to, tier } of rows) {
    if (tier !== 'Primary-Short' && tier !== 'Primary-Long' && tier !== 'Supplemental') continue;
    let row = index.get(from);
    if (!row) index.set(from, (row = new Map()));
    row.set(to, tier);
  }
  return index;
}

/** `15-1252.00` → `15-12`. */
export const minorGroup = (soc: string): string => soc.slice(0, 5);

const TIER_GRADE: Record<RelatednessTier, number> = { 'Primary-Short': 2, 'Primary-Long': 1, Supplemental: 1 };

/**
 * How relevant an item of occupation `item` is to a query of occupation `query`. O*NET lists
 * relatedness one way (an occupation's 20 nearest); a pair listed only the other way round is
 * still related, so the better of the two directions counts.
 */
export function grade(query: string, item: string, related: RelatedIndex): number {
  if (query === item) return 3;
  const tiers = [related.get(query)?.get(item), related.get(item)?.get(query)].filter((t): t is RelatednessTier => t !== undefined);
  const byTier = Math.max(0, ...tiers.map((t) => TIER_GRADE[t]));
  return Math.max(byTier, minorGroup(query) === minorGroup(item) ? 1 : 0);
}

/** Position-discounted gain of rank `i` (0-based): 1 / log2(i + 2). */
export const discount = (i: number): number => 1 / Math.log2(i + 2);

/** DCG with gain 2^grade − 1 (so a fully relevant item is worth more than two partial ones). */
export function dcg(grades: readonly number[], k: number): number {
  let total = 0;
  for (let i = 0; i < Math.min(k, grades.length); i++) total += (2 ** grades[i]! - 1) * discount(i);
  return total;
}

/**
 * nDCG@k of a ranking. `judged` holds every item's grade for this query (unlisted items are
 * 0); the ideal ranking is built from all of them, so a system is not rewarded for missing
 * relevant items it never retrieved. A query with nothing relevant scores 0 (and should not
 * be asked).
 */
export function ndcgAt(ranking: readonly string[], judged: ReadonlyMap<string, number>, k: number): number {
  const ideal = dcg([...judged.values()].filter((g) => g > 0).sort((a, b) => b - a), k);
  if (ideal === 0) return 0;
  return dcg(ranking.map((id) => judged.get(id) ?? 0), k) / ideal;
}

/**
 * Recall@k over the relevant set, with the denominator capped at k (a query with 12 fully
 * relevant items can at best find 5 of them in 5 places, and that is a perfect score).
 */
export function recallAt(ranking: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  const found = ranking.slice(0, k).filter((id) => relevant.has(id)).length;
  return found / Math.min(k, relevant.size);
}

/** Plain recall: the share of relevant items anywhere in `retrieved` (no cap). */
export function coverage(retrieved: Iterable<string>, relevant: ReadonlySet<string>): number {
  if (relevant.size === 0) return 0;
  let found = 0;
  for (const id of new Set(retrieved)) if (relevant.has(id)) found++;
  return found / relevant.size;
}

/** 1 / rank of the first relevant item, 0 when none is ranked. */
export function reciprocalRank(ranking: readonly string[], relevant: ReadonlySet<string>): number {
  const i = ranking.findIndex((id) => relevant.has(id));
  return i < 0 ? 0 : 1 / (i + 1);
}

export const mean = (values: readonly number[]): number => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

/**
 * Exposure of equally relevant items by group: for each group, the mean over its items
 * (across queries) of the position discount they got in the top k, 0 when not shown. A fair
 * ranker gives groups of equally relevant people about the same mean exposure.
 */
export function exposureByGroup(observations: ReadonlyArray<{ group: string; rank: number | null }>, k: number): Record<string, { items: number; exposure: number }> {
  const sums = new Map<string, { items: number; total: number }>();
  for (const { group, rank } of observations) {
    const entry = sums.get(group) ?? { items: 0, total: 0 };
    entry.items++;
    if (rank !== null && rank < k) entry.total += discount(rank);
    sums.set(group, entry);
  }
  return Object.fromEntries([...sums].sort(([a], [b]) => a.localeCompare(b)).map(([group, { items, total }]) => [group, { items, exposure: Math.round((total / items) * 1e4) / 1e4 }]));
}
