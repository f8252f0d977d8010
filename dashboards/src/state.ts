/** The view's state lives in the URL hash, so any view can be shared or bookmarked. */
export type View = 'overview' | 'trends' | 'sroi' | 'cohorts' | 'platform';
export const VIEWS: View[] = ['overview', 'trends', 'sroi', 'cohorts', 'platform'];
export type PeriodType = 'month' | 'quarter' | 'year';

export interface State {
  view: View;
  company?: string;
  cohort?: string;
  periodType: PeriodType;
  periodStart: string;
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function periodStartOf(date: Date, type: PeriodType): string {
  const month = type === 'month' ? date.getUTCMonth() : type === 'quarter' ? date.getUTCMonth() - (date.getUTCMonth() % 3) : 0;
  return `${date.getUTCFullYear()}-${pad(month + 1)}-01`;
}

export function shiftPeriod(start: string, type: PeriodType, by: number): string {
  const [y, m] = start.split('-').map(Number) as [number, number];
  const months = (type === 'month' ? 1 : type === 'quarter' ? 3 : 12) * by;
  const d = new Date(Date.UTC(y, m - 1 + months, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-01`;
}

export function defaults(now = new Date()): State {
  // The last complete month: the current one is still filling up.
  const periodStart = shiftPeriod(periodStartOf(now, 'month'), 'month', -1);
  return { view: 'overview', periodType: 'month', periodStart, from: shiftPeriod(periodStart, 'month', -11), to: shiftPeriod(periodStart, 'month', 1) };
}

export function readState(hash = location.hash): State {
  const [view, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const params = new URLSearchParams(query);
  const base = defaults();
  const periodType = (['month', 'quarter', 'year'] as const).find((t) => t === params.get('period_type')) ?? base.periodType;
  const date = /^\d{4}-\d{2}-\d{2}$/;
  const periodStart = date.test(params.get('period_start') ?? '') ? params.get('period_start')! : periodType === base.periodType ? base.periodStart : periodStartOf(new Date(`${base.periodStart}T00:00:00Z`), periodType);
  return {
    view: VIEWS.find((v) => v === view) ?? 'overview',
    company: params.get('company') ?? undefined,
    cohort: params.get('cohort') ?? undefined,
    periodType,
    periodStart,
    from: date.test(params.get('from') ?? '') ? params.get('from')! : base.from,
    to: date.test(params.get('to') ?? '') ? params.get('to')! : base.to,
  };
}

export function hashOf(state: State): string {
  const params = new URLSearchParams();
  if (state.company) params.set('company', state.company);
  if (state.cohort) params.set('cohort', state.cohort);
  params.set('period_type', state.periodType);
  params.set('period_start', state.periodStart);
  params.set('from', state.from);
  params.set('to', state.to);
  return `#/${state.view}?${params}`;
}
