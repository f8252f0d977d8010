/**
 * Small-group suppression for demographic counts: a group of fewer than 5 people is shown
 * as null. When exactly one group of a dimension would be hidden, the next smallest is
 * hidden too — otherwise the hidden count is the total minus the others.
 */
export const MIN_GROUP = 5;

export function suppress(counts: Record<string, number>, minimum = MIN_GROUP): Record<string, number | null> {
  const out: Record<string, number | null> = { ...counts };
  const small = Object.keys(counts).filter((k) => counts[k]! > 0 && counts[k]! < minimum);
  for (const key of small) out[key] = null;
  if (small.length === 1) {
    const next = Object.keys(counts).filter((k) => out[k] !== null && counts[k]! > 0).sort((a, b) => counts[a]! - counts[b]! || a.localeCompare(b))[0];
    if (next !== undefined) out[next] = null;
  }
  return out;
}
