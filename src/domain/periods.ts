/**
 * Reporting periods: calendar months, quarters and years in UTC, as `YYYY-MM-DD` strings
 * (the start day) so they compare and key exactly as Postgres dates do.
 */
export const PERIOD_TYPES = ['month', 'quarter', 'year'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

export const MONTHS_IN: Record<PeriodType, number> = { month: 1, quarter: 3, year: 12 };

const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The days every report and pipeline can handle: 0001-01-01 to 9998-12-31 (Postgres has no
 * year 0, and a period starting late in 9999 would end in a year ISO strings cannot hold).
 */
export const FIRST_DAY = '0001-01-01';
export const LAST_DAY = '9998-12-31';

/**
 * Whether `text` is a real calendar day (YYYY-MM-DD) within FIRST_DAY…LAST_DAY. `Date.parse`
 * alone reads 2026-02-30 as 2 March: the day must come back as it was written.
 */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || text < FIRST_DAY || text > LAST_DAY) return false;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

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
