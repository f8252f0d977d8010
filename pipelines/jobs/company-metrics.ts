/**
 * `company-metrics`: metrics_company_period for every company running programmes, for
 * months, quarters and years — activity, outcome averages, investment, SROI (with its value
 * map version, parameters, breakdown and sensitivity) and VIS. Set-based: the months in range
 * are recomputed into company_metrics_months (company-months.ts), one query per period type
 * rolls every company-period in range up from those months; SROI and VIS are then computed by
 * the pure functions of src/domain and upserted on (organization_id, period_type, period_start).
 * A row is rewritten only when a figure changed, so a re-run changes nothing.
 */
import type { Knex } from 'knex';
import type { Logger } from '../../src/log.js';
import { computeSroi } from '../../src/domain/sroi.js';
import { computeVis } from '../../src/domain/vis.js';
import { MONTHS_IN, PERIOD_TYPES, parseDay, periodEnd, periodEndExclusive, periodStart, type PeriodType } from '../../src/domain/periods.js';

const dayBefore = (day: string) => new Date(parseDay(day).getTime() - 86_400_000);
import { OUTCOME_KEYS } from '../../src/db/outcome-events.js';
import { refreshCompanyMonths } from './company-months.js';
import { upsertChanged } from '../upsert.js';

export interface CompanyMetricsScope {
  /** Periods overlapping [from, to) are recomputed (dates, YYYY-MM-DD). */
  from: string;
  to: string;
  /** Only these companies (default: every company with a programme). */
  companies?: string[];
}

interface BaseRow {
  organization_id: string;
  period_start: string;
  participants: number;
  volunteers: number;
  sessions: number;
  avg_rating: number | null;
  volunteer_hours: number;
  cash_in_kind: number;
  hours_value: number | null;
  hours_without_value: number;
  placements: number;
  avg_integration: number | null;
  avg_language: number | null;
  avg_job_readiness: number | null;
  avg_wellbeing: number | null;
  outcome_lift: number | null;
  quantities: Record<string, number> | null;
}

/**
 * Every company-period of one type in range, rolled up from company_metrics_months (sums of
 * sums, averages as sum over count, volunteers distinct across the months) except the
 * participants, which come from the enrolments overlapping the period.
 */
const MONTHS = (column: string) => `SELECT ${column} FROM company_metrics_months f WHERE f.organization_id = pr.org AND f.month >= pr.period_start AND f.month < pr.period_next`;
const average = (column: string) => `(sum(f.${column}_sum) / nullif(sum(f.${column}_n), 0))::float`;
const ROLLUP_SQL = `
WITH companies AS (
  SELECT DISTINCT organization_id AS id FROM programs WHERE (?::uuid[] IS NULL OR organization_id = ANY(?::uuid[]))
), periods AS (
  SELECT c.id AS org, g::date AS period_start, (g + (?::text)::interval)::date AS period_next
  FROM companies c, generate_series(date_trunc(?, ?::date), (?::date - 1)::timestamp, (?::text)::interval) g
), enrolled AS (
  SELECT pr.org, pr.period_start, count(DISTINCT pe.user_id)::int AS participants
  FROM periods pr JOIN programs p ON p.organization_id = pr.org JOIN program_enrollments pe ON pe.program_id = p.id
  WHERE pe.enrolled_at < pr.period_next AND (pe.completed_at IS NULL OR pe.completed_at >= pr.period_start)
  GROUP BY 1, 2
), rolled AS (
  SELECT pr.org, pr.period_start, sum(f.sessions)::int AS sessions, (sum(f.rating_sum) / nullif(sum(f.ratings), 0))::float AS avg_rating,
    sum(f.volunteer_hours)::float AS volunteer_hours, sum(f.cash_in_kind)::float AS cash_in_kind, sum(f.hours_value)::float AS hours_value,
    sum(f.hours_without_value)::float AS hours_without_value,
    ${average('integration')} AS avg_integration, ${average('language')} AS avg_language, ${average('job_readiness')} AS avg_job_readiness,
    ${average('wellbeing')} AS avg_wellbeing, ${average('lift')} AS outcome_lift,
    (SELECT count(DISTINCT v)::int FROM (${MONTHS('unnest(f.volunteer_ids) AS v')}) v) AS volunteers,
    (SELECT jsonb_object_agg(key, quantity) FROM (
      SELECT e.key, sum(e.value::numeric)::float AS quantity FROM company_metrics_months f CROSS JOIN LATERAL jsonb_each_text(f.quantities) e
      WHERE f.organization_id = pr.org AND f.month >= pr.period_start AND f.month < pr.period_next GROUP BY 1) q) AS quantities
  FROM periods pr JOIN company_metrics_months f ON f.organization_id = pr.org AND f.month >= pr.period_start AND f.month < pr.period_next
  GROUP BY pr.org, pr.period_start, pr.period_next
)
SELECT pr.org AS organization_id, to_char(pr.period_start, 'YYYY-MM-DD') AS period_start,
  coalesce(en.participants, 0) AS participants, coalesce(r.volunteers, 0) AS volunteers, coalesce(r.sessions, 0) AS sessions, r.avg_rating,
  coalesce(r.volunteer_hours, 0) AS volunteer_hours, coalesce(r.cash_in_kind, 0) AS cash_in_kind, r.hours_value, coalesce(r.hours_without_value, 0) AS hours_without_value,
  coalesce((r.quantities->>'employment')::int, 0) AS placements,
  r.avg_integration, r.avg_language, r.avg_job_readiness, r.avg_wellbeing, r.outcome_lift, r.quantities
FROM periods pr
LEFT JOIN enrolled en ON en.org = pr.org AND en.period_start = pr.period_start
LEFT JOIN rolled r ON r.org = pr.org AND r.period_start = pr.period_start
ORDER BY 1, 2`;

interface ValueMap {
  id: string;
  organization_id: string;
  version: number;
  currency: string;
  discount_rate: number;
  volunteer_hour_value: number;
  valid_from: string;
  valid_to: string | null;
  outcomes: Array<{ outcome_key: string; financial_proxy: number; proxy_source: string; deadweight: number; attribution: number; displacement: number; drop_off: number; benefit_period_years: number }>;
}

async function loadValueMaps(db: Knex, companies: string[] | undefined): Promise<Map<string, ValueMap[]>> {
  const { rows } = await db.raw<{ rows: ValueMap[] }>(`
    SELECT m.id, m.organization_id, m.version, m.currency, m.discount_rate::float AS discount_rate, m.volunteer_hour_value::float AS volunteer_hour_value,
      to_char(m.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(m.valid_to, 'YYYY-MM-DD') AS valid_to,
      coalesce(jsonb_agg(jsonb_build_object('outcome_key', o.outcome_key, 'financial_proxy', o.financial_proxy::float, 'proxy_source', o.proxy_source,
        'deadweight', o.deadweight::float, 'attribution', o.attribution::float, 'displacement', o.displacement::float, 'drop_off', o.drop_off::float,
        'benefit_period_years', o.benefit_period_years) ORDER BY o.outcome_key) FILTER (WHERE o.id IS NOT NULL), '[]') AS outcomes
    FROM sroi_value_maps m LEFT JOIN sroi_value_map_outcomes o ON o.value_map_id = m.id
    WHERE m.status = 'active' AND m.program_id IS NULL AND (?::uuid[] IS NULL OR m.organization_id = ANY(?::uuid[]))
    GROUP BY m.id ORDER BY m.organization_id, m.version DESC`, [companies ?? null, companies ?? null]);
  const byOrg = new Map<string, ValueMap[]>();
  for (const row of rows) byOrg.set(row.organization_id, [...(byOrg.get(row.organization_id) ?? []), row]);
  return byOrg;
}

/** The company's active value map in force at the start of the period (highest version wins). */
function mapFor(maps: ValueMap[] | undefined, start: string, end: string): ValueMap | undefined {
  return maps?.find((m) => m.valid_from <= end && (m.valid_to === null || m.valid_to >= start));
}

const round = (value: number | null | undefined, digits: number) => (value === null || value === undefined || !Number.isFinite(value) ? null : Math.round(value * 10 ** digits) / 10 ** digits);

function metricRow(row: BaseRow, type: PeriodType, map: ValueMap | undefined) {
  const end = periodEnd(row.period_start, type);
  const hourValue = map?.volunteer_hour_value ?? 0;
  const investment = row.cash_in_kind + (row.hours_value ?? 0) + row.hours_without_value * hourValue;
  const quantities = row.quantities ?? {};
  const sroi = map ? computeSroi({
    investment,
    discountRate: map.discount_rate,
    outcomes: map.outcomes.map((o) => ({
      key: o.outcome_key, quantity: quantities[o.outcome_key] ?? 0, financialProxy: o.financial_proxy, deadweight: o.deadweight,
      attribution: o.attribution, displacement: o.displacement, dropOff: o.drop_off, benefitYears: o.benefit_period_years,
    })),
  }) : undefined;
  const vis = computeVis({
    volunteers: row.volunteers, volunteerHours: row.volunteer_hours, periodMonths: MONTHS_IN[type], averageRating: row.avg_rating,
    outcomeLift: row.outcome_lift, participants: row.participants, placements: row.placements,
  });
  return {
    organization_id: row.organization_id, period_type: type, period_start: row.period_start, period_end: end,
    participants_count: row.participants, volunteers_count: row.volunteers, sessions_count: row.sessions,
    volunteer_hours: round(row.volunteer_hours, 2), placements_count: row.placements,
    avg_integration_score: round(row.avg_integration, 3), avg_language_level: round(row.avg_language, 3),
    avg_job_readiness: round(row.avg_job_readiness, 3), avg_wellbeing: round(row.avg_wellbeing, 3),
    investment_total: round(investment, 2), outcomes_present_value: round(sroi?.presentValue, 2),
    sroi_ratio: round(sroi?.ratio, 4), sroi_low: round(sroi?.sensitivity.low, 4), sroi_high: round(sroi?.sensitivity.high, 4),
    payback_months: round(sroi?.paybackMonths, 2), vis_score: vis.score,
    value_map_id: map?.id ?? null, value_map_version: map?.version ?? null,
    parameters: JSON.stringify(map ? {
      currency: map.currency, discountRate: map.discount_rate, volunteerHourValue: hourValue,
      outcomes: map.outcomes.map((o) => ({ key: o.outcome_key, financialProxy: o.financial_proxy, proxySource: o.proxy_source, deadweight: o.deadweight, attribution: o.attribution, displacement: o.displacement, dropOff: o.drop_off, benefitYears: o.benefit_period_years })),
    } : {}),
    breakdown: JSON.stringify({
      investment: { cashAndInKind: round(row.cash_in_kind, 2), volunteerHours: round(row.volunteer_hours, 2), volunteerHoursValue: round(investment - row.cash_in_kind, 2) },
      outcomes: sroi?.outcomes.map((o) => ({ key: o.key, quantity: o.quantity, yearValues: o.yearValues.map((v) => round(v, 2)), presentValue: round(o.presentValue, 2) })) ?? [],
      sensitivity: sroi ? { proxies: sroi.sensitivity.proxies.map((p) => ({ key: p.key, low: round(p.low, 4), high: round(p.high, 4) })), grid: sroi.sensitivity.grid.map((g) => ({ ...g, ratio: round(g.ratio, 4) })) } : null,
      vis: { components: Object.fromEntries(Object.entries(vis.components).map(([k, v]) => [k, round(v, 4)])), averageRating: round(row.avg_rating, 3), outcomeLift: round(row.outcome_lift, 4) },
      evidence: OUTCOME_KEYS,
    }),
  };
}

const COMPARED = [
  'period_end', 'participants_count', 'volunteers_count', 'sessions_count', 'volunteer_hours', 'placements_count', 'avg_integration_score',
  'avg_language_level', 'avg_job_readiness', 'avg_wellbeing', 'investment_total', 'outcomes_present_value', 'sroi_ratio', 'sroi_low',
  'sroi_high', 'payback_months', 'vis_score', 'value_map_id', 'value_map_version', 'parameters', 'breakdown',
];

/**
 * Recomputes every company-period of every type overlapping the scope; returns rows changed.
 * First the months from the scope's start to its end (company_metrics_months), then every
 * period overlapping the scope, rolled up from its months: the recomputed ones and, for the
 * rest of the period, the stored ones. An incremental scope runs to today and starts at the
 * earliest change, and a change moves figures from its own month onwards, never before it,
 * so the stored months are current. (A --from/--to range recomputes only its own months.)
 */
export async function runCompanyMetrics(deps: { db: Knex; log: Logger }, scope: CompanyMetricsScope): Promise<number> {
  const lastDay = dayBefore(scope.to);
  const months = { from: periodStart(scope.from, 'month'), until: periodEndExclusive(periodStart(lastDay, 'month'), 'month'), companies: scope.companies };
  const monthRows = await refreshCompanyMonths(deps.db, months);
  deps.log.info('pipelines: company months', { ...months, companies: scope.companies?.length ?? 'all', rows: monthRows });
  const maps = await loadValueMaps(deps.db, scope.companies);
  let changed = 0;
  for (const type of PERIOD_TYPES) {
    // Whole periods: the scope picks which periods to recompute, each from all of its months.
    const from = periodStart(scope.from, type);
    const until = periodEndExclusive(periodStart(lastDay, type), type);
    const unit = `${MONTHS_IN[type]} months`;
    const companies = scope.companies ?? null;
    const { rows } = await deps.db.raw<{ rows: BaseRow[] }>(ROLLUP_SQL, [companies, companies, unit, type, from, until, unit]);
    const metrics = rows.map((row) => metricRow(row, type, mapFor(maps.get(row.organization_id), row.period_start, periodEnd(row.period_start, type))));
    changed += await upsertChanged(deps.db, 'metrics_company_period', ['organization_id', 'period_type', 'period_start'], COMPARED, metrics);
    deps.log.info('pipelines: company metrics', { periodType: type, periods: metrics.length });
  }
  return changed;
}

/**
 * A date or time some period can hold: not 'infinity' or '-infinity' (which made a full run's
 * first day NULL, and the run a silent no-op), not before year 1 (whose era to_char drops).
 */
const REAL_DAY = (column: string) => `isfinite(${column}) AND ${column} >= '0001-01-01'`;

const TOUCHED_SQL = `
SELECT org, to_char(date_trunc('month', min(day)), 'YYYY-MM-DD') AS from_month FROM (
  SELECT p.organization_id AS org, least(s.scheduled_at, s.completed_at)::date AS day FROM sessions s JOIN programs p ON p.id = s.program_id WHERE s.updated_at > :since
  UNION ALL SELECT organization_id, invested_on FROM investments WHERE updated_at > :since
  UNION ALL SELECT p.organization_id, pe.enrolled_at::date FROM program_enrollments pe JOIN programs p ON p.id = pe.program_id WHERE pe.updated_at > :since
  UNION ALL SELECT p.organization_id, os.scored_at::date FROM outcome_scores os JOIN programs p ON p.id = os.program_id WHERE os.created_at > :since
  UNION ALL SELECT p.organization_id, bc.checkin_date::date FROM buddy_checkins bc JOIN buddy_matches bm ON bm.id = bc.match_id JOIN programs p ON p.id = bm.program_id WHERE bc.created_at > :since
  UNION ALL SELECT p.organization_id, least(lp.started_at, lp.completed_at)::date FROM learning_progress lp JOIN programs p ON p.id = lp.program_id WHERE lp.updated_at > :since
  UNION ALL SELECT p.organization_id, pl.start_date FROM placements pl JOIN candidates c ON c.id = pl.candidate_id
    JOIN program_enrollments pe ON pe.user_id = c.user_id JOIN programs p ON p.id = pe.program_id WHERE pl.updated_at > :since
  UNION ALL SELECT organization_id, valid_from FROM sroi_value_maps WHERE updated_at > :since
  UNION ALL SELECT m.organization_id, m.valid_from FROM sroi_value_map_outcomes o JOIN sroi_value_maps m ON m.id = o.value_map_id WHERE o.updated_at > :since
) changed
-- A date Postgres takes but no period holds ('infinity', a date BC) would start no recompute;
-- read as a day, it was NULL and stopped every incremental run.
WHERE day IS NOT NULL AND isfinite(day) AND day >= '0001-01-01' GROUP BY org`;

/**
 * The job as the scheduler and `meridian pipelines run` see it. Incremental runs recompute,
 * per company, from the month of the earliest changed event onwards: outcome events are
 * defined over a participant's history (a late baseline score changes which later score
 * crosses it), so a change can move figures after its own period, never before it.
 * Deleted rows leave no trace to pick up: after deleting source rows, run with --full (or
 * --from/--to over the affected periods).
 */
export const companyMetricsJob = {
  name: 'company-metrics',
  schedule: '15 * * * *',
  description: 'metrics_company_period (months, quarters, years): activity, outcomes, investment, SROI, VIS',
  run: (deps: { db: Knex; log: Logger }, scope: CompanyMetricsScope) => runCompanyMetrics(deps, scope),
  async earliest(db: Knex): Promise<string | null> {
    const { rows: [row] } = await db.raw(`
      SELECT to_char(least(
        (SELECT min(invested_on) FROM investments WHERE ${REAL_DAY('invested_on')}),
        (SELECT min(enrolled_at)::date FROM program_enrollments WHERE ${REAL_DAY('enrolled_at')}),
        (SELECT min(completed_at)::date FROM sessions WHERE program_id IS NOT NULL AND ${REAL_DAY('completed_at')}),
        (SELECT min(scored_at)::date FROM outcome_scores WHERE program_id IS NOT NULL AND ${REAL_DAY('scored_at')}),
        (SELECT min(completed_at)::date FROM learning_progress WHERE program_id IS NOT NULL AND ${REAL_DAY('completed_at')})), 'YYYY-MM-DD') AS day`);
    return row.day ?? null;
  },
  async touched(db: Knex, since: Date) {
    const { rows } = await db.raw<{ rows: Array<{ org: string; from_month: string }> }>(TOUCHED_SQL.replace(/:since/g, '?'), Array(9).fill(since));
    const byMonth = new Map<string, string[]>();
    for (const row of rows) byMonth.set(row.from_month, [...(byMonth.get(row.from_month) ?? []), row.org]);
    return [...byMonth].sort(([a], [b]) => a.localeCompare(b)).map(([from, companies]) => ({ from, companies: companies.sort() }));
  },
};
