/**
 * `platform-metrics`: one platform_metrics row per UTC day — the theNexus daily fields
 * (totals, sign-ups, active job roles, introductions sent/accepted/declined with acceptance
 * rate and response time, searches, profile views, revenue) plus the recommendation funnel,
 * applications and placements. Totals are cumulative, so a late sign-up changes every day
 * from its own onwards; incremental runs recompute from the earliest changed day.
 *
 * Active job roles on a day: opportunities active today that were published by the end of
 * that day and whose deadline had not passed (their status history is not kept, so a role
 * closed since then drops out of past days too).
 */
import type { Knex } from 'knex';
import type { Logger } from '../../src/log.js';
import type { JobScope } from '../runner.js';
import { upsertChanged } from '../upsert.js';

const UTC_DAY = (column: string) => `((${column}) AT TIME ZONE 'UTC')::date`;

/** Per-day counts of one event: (day, n) over [from, to). */
const daily = (name: string, table: string, column: string, where = 'true') => `
  ${name} AS (SELECT ${UTC_DAY(column)} AS day, count(*)::int AS n FROM ${table} WHERE ${where} AND ${column} >= :from AND ${column} < :to GROUP BY 1)`;

const SQL = `
WITH days AS (SELECT g::date AS day FROM generate_series(:from::date, :to::date - 1, interval '1 day') g),
${daily('new_candidates', 'candidates', 'created_at', 'deleted_at IS NULL')},
${daily('new_professionals', 'candidates', 'created_at', `deleted_at IS NULL AND candidate_type = 'professional'`)},
${daily('new_companies', 'organizations', 'created_at', `type IN ('employer', 'private_sector', 'csr_company')`)},
${daily('new_hr_partners', 'users', 'created_at', `user_type = 'HR_PARTNER' AND deleted_at IS NULL`)},
${daily('intros_sent', 'introduction_requests', 'sent_at')},
${daily('searches', 'search_queries', 'searched_at')},
${daily('views', 'profile_views', 'viewed_at')},
${daily('recs_generated', 'recommendations', 'generated_at')},
${daily('recs_viewed', 'recommendations', 'viewed_at')},
${daily('recs_clicked', 'recommendations', 'clicked_at')},
${daily('recs_applied', 'recommendations', 'applied_at')},
${daily('applications_made', 'applications', 'coalesce(submitted_at, created_at)')},
responses AS (
  SELECT ${UTC_DAY('response_date')} AS day,
    count(*) FILTER (WHERE status = 'accepted')::int AS accepted, count(*) FILTER (WHERE status = 'declined')::int AS declined,
    avg(extract(epoch FROM response_date - sent_at) / 3600)::float AS response_hours
  FROM introduction_requests WHERE status IN ('accepted', 'declined') AND response_date >= :from AND response_date < :to GROUP BY 1
),
placed AS (SELECT start_date AS day, count(*)::int AS n FROM placements WHERE start_date >= :from::date AND start_date < :to::date GROUP BY 1),
revenue AS (
  SELECT day, jsonb_object_agg(currency, amount) AS by_currency, coalesce(sum(amount) FILTER (WHERE currency = 'NGN'), 0)::bigint AS ngn FROM (
    SELECT ${UTC_DAY('paid_at')} AS day, currency, sum(amount)::float AS amount FROM payments
    WHERE status = 'successful' AND paid_at >= :from AND paid_at < :to GROUP BY 1, 2) r GROUP BY 1
),
-- Roles open on a day, as +1 on the day published and -1 the day after the deadline.
role_changes AS (
  SELECT day, sum(delta)::int AS delta FROM (
    SELECT greatest(${UTC_DAY('published_at')}, :from::date) AS day, 1 AS delta FROM opportunities
    WHERE status = 'active' AND published_at < :to AND (application_deadline IS NULL OR application_deadline >= :from::date)
    UNION ALL
    SELECT application_deadline + 1, -1 FROM opportunities
    WHERE status = 'active' AND published_at < :to AND application_deadline >= :from::date AND application_deadline + 1 < :to::date
  ) c GROUP BY 1
),
before AS (
  SELECT (SELECT count(*) FROM candidates WHERE deleted_at IS NULL AND created_at < :from)::int AS candidates,
    (SELECT count(*) FROM candidates WHERE deleted_at IS NULL AND candidate_type = 'professional' AND created_at < :from)::int AS professionals,
    (SELECT count(*) FROM organizations WHERE type IN ('employer', 'private_sector', 'csr_company') AND created_at < :from)::int AS companies,
    (SELECT count(*) FROM users WHERE user_type = 'HR_PARTNER' AND deleted_at IS NULL AND created_at < :from)::int AS hr_partners
)
SELECT to_char(d.day, 'YYYY-MM-DD') AS metric_date,
  b.professionals + sum(coalesce(np.n, 0)) OVER w AS total_professionals,
  b.candidates + sum(coalesce(nc.n, 0)) OVER w AS total_candidates,
  b.companies + sum(coalesce(nco.n, 0)) OVER w AS total_companies,
  b.hr_partners + sum(coalesce(nh.n, 0)) OVER w AS total_hr_partners,
  coalesce(np.n, 0) AS new_professionals_today, coalesce(nc.n, 0) AS new_candidates_today, coalesce(nco.n, 0) AS new_companies_today,
  sum(coalesce(rc.delta, 0)) OVER w AS active_job_roles,
  coalesce(isent.n, 0) AS introductions_sent_today, coalesce(rs.accepted, 0) AS introductions_accepted_today, coalesce(rs.declined, 0) AS introductions_declined_today,
  CASE WHEN coalesce(rs.accepted, 0) + coalesce(rs.declined, 0) = 0 THEN 0 ELSE round(100.0 * rs.accepted / (rs.accepted + rs.declined), 2) END AS acceptance_rate_percentage,
  round(rs.response_hours::numeric, 2) AS avg_response_time_hours,
  coalesce(se.n, 0) AS total_searches_today, coalesce(v.n, 0) AS total_profile_views_today,
  coalesce(rg.n, 0) AS recommendations_generated_today, coalesce(rv.n, 0) AS recommendations_viewed_today,
  coalesce(rcl.n, 0) AS recommendations_clicked_today, coalesce(ra.n, 0) AS recommendations_applied_today,
  coalesce(ap.n, 0) AS applications_today, coalesce(pl.n, 0) AS placements_today,
  coalesce(rev.ngn, 0) AS revenue_today_ngn, coalesce(rev.by_currency, '{}'::jsonb) AS revenue_by_currency
FROM days d CROSS JOIN before b
LEFT JOIN new_candidates nc ON nc.day = d.day LEFT JOIN new_professionals np ON np.day = d.day
LEFT JOIN new_companies nco ON nco.day = d.day LEFT JOIN new_hr_partners nh ON nh.day = d.day
LEFT JOIN role_changes rc ON rc.day = d.day LEFT JOIN intros_sent isent ON isent.day = d.day LEFT JOIN responses rs ON rs.day = d.day
LEFT JOIN searches se ON se.day = d.day LEFT JOIN views v ON v.day = d.day
LEFT JOIN recs_generated rg ON rg.day = d.day LEFT JOIN recs_viewed rv ON rv.day = d.day LEFT JOIN recs_clicked rcl ON rcl.day = d.day LEFT JOIN recs_applied ra ON ra.day = d.day
LEFT JOIN applications_made ap ON ap.day = d.day LEFT JOIN placed pl ON pl.day = d.day LEFT JOIN revenue rev ON rev.day = d.day
WINDOW w AS (ORDER BY d.day)
ORDER BY d.day`;

const COLUMNS = [
  'total_professionals', 'total_candidates', 'total_companies', 'total_hr_partners', 'new_professionals_today', 'new_candidates_today',
  'new_companies_today', 'active_job_roles', 'introductions_sent_today', 'introductions_accepted_today', 'introductions_declined_today',
  'acceptance_rate_percentage', 'avg_response_time_hours', 'total_searches_today', 'total_profile_views_today',
  'recommendations_generated_today', 'recommendations_viewed_today', 'recommendations_clicked_today', 'recommendations_applied_today',
  'applications_today', 'placements_today', 'revenue_today_ngn', 'revenue_by_currency',
];

export async function runPlatformMetrics(deps: { db: Knex; log: Logger }, scope: JobScope): Promise<number> {
  const { rows } = await deps.db.raw(SQL, { from: scope.from, to: scope.to });
  const days = rows.map((r: Record<string, unknown>) => ({ ...r, revenue_by_currency: JSON.stringify(r.revenue_by_currency) }));
  const changed = await upsertChanged(deps.db, 'platform_metrics', ['metric_date'], COLUMNS, days);
  deps.log.info('pipelines: platform metrics', { days: rows.length, changed });
  return changed;
}

const TOUCHED = `
SELECT to_char(min(day), 'YYYY-MM-DD') AS day FROM (
  SELECT ${UTC_DAY('created_at')} AS day FROM candidates WHERE updated_at > :since
  UNION ALL SELECT ${UTC_DAY('created_at')} FROM organizations WHERE updated_at > :since
  UNION ALL SELECT ${UTC_DAY('created_at')} FROM users WHERE updated_at > :since
  UNION ALL SELECT ${UTC_DAY('least(sent_at, response_date)')} FROM introduction_requests WHERE updated_at > :since
  UNION ALL SELECT ${UTC_DAY('searched_at')} FROM search_queries WHERE searched_at > :since::timestamptz - interval '1 day'
  UNION ALL SELECT ${UTC_DAY('viewed_at')} FROM profile_views WHERE viewed_at > :since::timestamptz - interval '1 day'
  UNION ALL SELECT ${UTC_DAY('generated_at')} FROM recommendations WHERE updated_at > :since
  UNION ALL SELECT ${UTC_DAY('coalesce(submitted_at, created_at)')} FROM applications WHERE updated_at > :since
  UNION ALL SELECT start_date FROM placements WHERE updated_at > :since
  UNION ALL SELECT ${UTC_DAY('published_at')} FROM opportunities WHERE updated_at > :since AND published_at IS NOT NULL
  UNION ALL SELECT ${UTC_DAY('paid_at')} FROM payments WHERE updated_at > :since AND paid_at IS NOT NULL
) t`;

export const platformMetricsJob = {
  name: 'platform-metrics',
  schedule: '5 * * * *',
  description: 'platform_metrics: one row per day (totals, sign-ups, introductions, searches, views, recommendation funnel, applications, placements, revenue)',
  run: (deps: { db: Knex; log: Logger }, scope: JobScope) => runPlatformMetrics(deps, scope),
  async earliest(db: Knex): Promise<string | null> {
    const { rows: [row] } = await db.raw(`SELECT to_char(least((SELECT min(created_at) FROM users), (SELECT min(created_at) FROM organizations)) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day`);
    return row.day ?? null;
  },
  async touched(db: Knex, since: Date) {
    const { rows: [row] } = await db.raw(TOUCHED, { since });
    return row.day ? [{ from: row.day as string, companies: [] }] : [];
  },
};
