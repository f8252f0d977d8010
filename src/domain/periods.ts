/**
 * Reporting periods: calendar months, quarters and years in UTC, as `YYYY-MM-DD` strings
 * (the start day) so they compare and key exactly as Postgres dates do.
 */
export const PERIOD_TYPES = ['month', 'quarter', 'year'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

export const MONTHS_IN: Record<PeriodType, number> = { month: 1, quarter: 3, year: 12 };

const iso = (d: Date) => d.toISOString().slice(0, 10);

export function parseDay(day: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new RangeError(`not a date (YYYY-MM-DD): ${day}`);
  return new Date(`${day}T00:00:00Z`);
}

export function periodStart(day: string | Date, type: PeriodType): string {
  const d = typeof day === 'string' ? parseDay(day) : day;
  const month = type === 'month' ? d.getUTCMonth() : type === 'quarter' ? d.getUTCMonth() - (d.getUTCMonth() % 3) : 0;
  return iso(new Date(Date.UTC(d.getUTCFullYear(), month, 1)));
}

/** The first day after the period (exclusive end). */
export function periodEndExclusive(start: string, type: PeriodType): string {
  const d = parseDay(start);
  return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + MONTHS_IN[type], 1)));
}

/** The last day of the period (what metrics_company_period.period_end holds). */
export function periodEnd(start: string, type: PeriodType): string {
  const end = parseDay(periodEndExclusive(start, type));
  return iso(new Date(end.getTime() - 86_400_000));
}

export function previousPeriod(start: string, type: PeriodType): string {
  const d = parseDay(start);
  return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - MONTHS_IN[type], 1)));
}

/** Starts of every period of `type` that overlaps [from, to). */
export function periodsBetween(from: string, to: string, type: PeriodType): string[] {
  const out: string[] = [];
  for (let start = periodStart(from, type); start < to; start = periodEndExclusive(start, type)) out.push(start);
  return out;
}
