/**
 * company_metrics_months, the company-metrics job's state: per company and calendar month,
 * the additive parts of its figures — sessions, rating sum and count, the distinct volunteers,
 * investment sums, outcome-score sums and counts (and the lift over each participant's
 * baseline), outcome quantities. Months, quarters and years are rolled up from these rows
 * (company-metrics.ts), so the history is read once per run instead of once per period type,
 * and a day of new data recomputes only the months from the earliest change onwards.
 *
 * The rows of a month are exact whatever the run that wrote them: each is computed from all
 * of the month's source rows and, for the history-dependent parts (baselines, best level so
 * far, first good check-in), from the participant's history. A run for some companies (an
 * incremental one) reads history only for the participants with rows in the months it
 * recomputes — nobody else can have an event or a score there — and for scores only the
 * baseline. Language events read no history at all: company_metrics_language_months keeps
 * each participant's best CEFR level per month, so the best level before a month is a lookup. Both ways of computing a month (everything / recent participants) must agree:
 * test/pipelines.test.ts checks that incremental runs end where a full rebuild does.
 */
import type { Knex } from 'knex';
import { allOutcomeEvents, RANK } from '../../src/db/outcome-events.js';

export interface MonthsScope {
  /** First day of the first month to recompute, and of the month after the last (YYYY-MM-DD). */
  from: string;
  until: string;
  /** Only these companies (default: every company with a programme). */
  companies?: string[];
}

/** A validated day as a SQL literal: inlined, because the event queries repeat it many times. */
function dateLiteral(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`not a date (YYYY-MM-DD): ${day}`);
  return `'${day}'::date`;
}

/** [column of company_metrics_months, outcome_scores dimension] of each average kept. */
const SCORE_DIMENSIONS: Array<[string, string]> = [
  ['integration', 'belonging'], ['language', 'lang_level_proxy'], ['job_readiness', 'job_readiness'], ['wellbeing', 'well_being'],
];

/**
 * The language_gain events (src/db/outcome-events.ts) from `from` onwards, reading only the
 * sessions since then: the best level a participant had reached before `from` comes from
 * company_metrics_language_months (the best level of each earlier month), not from their
 * history — which was most of an incremental run's reading.
 */
function recentLanguageGains(from: string): string {
  return `
    SELECT organization_id, 'sessions'::text AS record_table, record_id, user_id, occurred_at, (rank - prev_max)::numeric AS amount, changed_at FROM (
      SELECT x.*, greatest(x.before, x.running) AS prev_max FROM (
        SELECT p.organization_id, s.id AS record_id, s.participant_id AS user_id, s.completed_at AS occurred_at, s.updated_at AS changed_at, ${RANK} AS rank,
          max(${RANK}) OVER (PARTITION BY p.organization_id, s.participant_id ORDER BY s.completed_at, s.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS running,
          (SELECT max(b.best_rank) FROM company_metrics_language_months b
            WHERE b.organization_id = p.organization_id AND b.participant_id = s.participant_id AND b.month < ${from}) AS before
        FROM programs p CROSS JOIN LATERAL (SELECT * FROM sessions h WHERE h.program_id = p.id AND h.completed_at >= ${from}
          AND h.session_type = 'language' AND h.language_level IS NOT NULL OFFSET 0) s
        WHERE p.organization_id IN (SELECT id FROM companies)
      ) x
    ) y WHERE prev_max IS NOT NULL AND rank > prev_max`;
}

/** company_metrics_language_months of the months in range: each participant's best level in each month. */
function languageMonthsSql(from: string, until: string, recentOnly: boolean): string {
  const sessions = recentOnly
    ? `programs p CROSS JOIN LATERAL (SELECT * FROM sessions h WHERE h.program_id = p.id AND h.completed_at >= ${from} AND h.completed_at < ${until} OFFSET 0) s`
    : 'sessions s JOIN programs p ON p.id = s.program_id';
  return `
    INSERT INTO company_metrics_language_months (organization_id, participant_id, month, best_rank)
    SELECT p.organization_id, s.participant_id, date_trunc('month', s.completed_at AT TIME ZONE 'UTC')::date, max(${RANK})
    FROM ${sessions}
    WHERE (?::uuid[] IS NULL OR p.organization_id = ANY(?::uuid[])) AND s.session_type = 'language' AND s.language_level IS NOT NULL
      AND s.completed_at >= ${from} AND s.completed_at < ${until}
    GROUP BY 1, 2, 3`;
}

function monthsSql(from: string, until: string, recentOnly: boolean): string {
  // For a few companies' recent months, rows are fetched by programme and by participant
  // through LATERAL index lookups (OFFSET 0 keeps the planner from flattening them back into
  // a hash join over the whole table); over everything, plain scans are cheaper.
  const sessions = recentOnly
    ? `programs p CROSS JOIN LATERAL (SELECT * FROM sessions h WHERE h.program_id = p.id AND h.completed_at >= ${from} AND h.completed_at < ${until} OFFSET 0) s`
    : 'sessions s JOIN programs p ON p.id = s.program_id';
  // Each score of the months with its baseline (the participant's first score of that
  // dimension in the company) and whether it is that first score (n = 1). Over everything, a
  // window over the history; for recent months, one index lookup per participant and
  // dimension (the first score is all the history a lift needs), in CTEs computed once.
  const scoreCtes = recentOnly ? `
), score_rows AS MATERIALIZED (
  SELECT p.organization_id AS org, os.id, os.user_id, os.scored_at, os.dimension, os.score
  FROM programs p CROSS JOIN LATERAL (SELECT * FROM outcome_scores h WHERE h.program_id = p.id AND h.scored_at >= ${from} AND h.scored_at < ${until} OFFSET 0) os
  WHERE p.organization_id IN (SELECT id FROM companies)
), score_baselines AS MATERIALIZED (
  SELECT g.org, g.user_id, g.dimension, b.id, b.score
  FROM (SELECT DISTINCT org, user_id, dimension FROM score_rows) g
  -- The company's programmes as an array: the lookup walks the index in (scored_at, id) order
  -- and stops at the first row in one of them (a join to programs would sort every row).
  JOIN (SELECT organization_id AS org, array_agg(id) AS programs FROM programs GROUP BY 1) op ON op.org = g.org
  CROSS JOIN LATERAL (SELECT h.id, h.score FROM outcome_scores h
    WHERE h.user_id = g.user_id AND h.dimension = g.dimension AND h.program_id = ANY(op.programs) ORDER BY h.scored_at, h.id LIMIT 1) b` : '';
  const scores = recentOnly ? `
    SELECT sr.org, sr.scored_at, sr.dimension, sr.score, b.score AS baseline, CASE WHEN sr.id = b.id THEN 1 ELSE 2 END AS n
    FROM score_rows sr JOIN score_baselines b ON b.org = sr.org AND b.user_id = sr.user_id AND b.dimension = sr.dimension` : `
    SELECT org, scored_at, dimension, score, baseline, n FROM (
      SELECT p.organization_id AS org, os.scored_at, os.dimension, os.score, first_value(os.score) OVER w AS baseline, row_number() OVER w AS n
      FROM outcome_scores os JOIN programs p ON p.id = os.program_id
      WHERE p.organization_id IN (SELECT id FROM companies) AND os.scored_at < ${until}
      WINDOW w AS (PARTITION BY p.organization_id, os.user_id, os.dimension ORDER BY os.scored_at, os.id)
    ) x WHERE scored_at >= ${from}`;
  const events = recentOnly
    ? allOutcomeEvents('p.organization_id IN (SELECT id FROM companies)', from, { language_gain: recentLanguageGains(from) })
    : allOutcomeEvents('p.organization_id IN (SELECT id FROM companies)');
  return `
WITH companies AS (
  SELECT DISTINCT organization_id AS id FROM programs WHERE (?::uuid[] IS NULL OR organization_id = ANY(?::uuid[]))
), session_months AS (
  SELECT p.organization_id AS org, date_trunc('month', s.completed_at AT TIME ZONE 'UTC')::date AS month, count(*)::int AS sessions,
    coalesce(array_agg(DISTINCT s.volunteer_id) FILTER (WHERE s.volunteer_id IS NOT NULL), '{}') AS volunteer_ids,
    coalesce(sum(s.rating), 0) AS rating_sum, count(s.rating)::int AS ratings
  FROM ${sessions}
  WHERE p.organization_id IN (SELECT id FROM companies) AND s.completed_at >= ${from} AND s.completed_at < ${until}
  GROUP BY 1, 2
), invested_months AS (
  SELECT i.organization_id AS org, date_trunc('month', i.invested_on)::date AS month,
    coalesce(sum(i.amount) FILTER (WHERE i.investment_type IN ('cash', 'in_kind')), 0) AS cash_in_kind,
    coalesce(sum(i.hours) FILTER (WHERE i.investment_type = 'volunteer_hours'), 0) AS volunteer_hours,
    sum(i.hours * i.hourly_value) FILTER (WHERE i.investment_type = 'volunteer_hours' AND i.hourly_value IS NOT NULL) AS hours_value,
    coalesce(sum(i.hours) FILTER (WHERE i.investment_type = 'volunteer_hours' AND i.hourly_value IS NULL), 0) AS hours_without_value
  FROM investments i
  WHERE i.organization_id IN (SELECT id FROM companies) AND i.invested_on >= ${from} AND i.invested_on < ${until}
  GROUP BY 1, 2${scoreCtes}
), score_months AS (
  SELECT org, date_trunc('month', scored_at AT TIME ZONE 'UTC')::date AS month,
    ${SCORE_DIMENSIONS.map(([column, dimension]) => `coalesce(sum(score) FILTER (WHERE dimension = '${dimension}'), 0) AS ${column}_sum, count(*) FILTER (WHERE dimension = '${dimension}')::int AS ${column}_n`).join(',\n    ')},
    coalesce(sum(score - baseline) FILTER (WHERE n > 1), 0) AS lift_sum, count(*) FILTER (WHERE n > 1)::int AS lift_n
  FROM (${scores}) x
  GROUP BY 1, 2
), outcome_months AS (
  SELECT org, month, jsonb_object_agg(outcome_key, quantity) AS quantities FROM (
    SELECT organization_id AS org, date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date AS month, outcome_key, sum(amount)::float AS quantity
    FROM (${events}) events
    WHERE occurred_at >= ${from} AND occurred_at < ${until}
    GROUP BY 1, 2, 3
  ) q GROUP BY 1, 2
), months AS (
  SELECT org, month FROM session_months UNION SELECT org, month FROM invested_months
  UNION SELECT org, month FROM score_months UNION SELECT org, month FROM outcome_months
)
INSERT INTO company_metrics_months (organization_id, month, sessions, volunteer_ids, rating_sum, ratings, cash_in_kind, volunteer_hours, hours_value, hours_without_value,
  ${SCORE_DIMENSIONS.map(([column]) => `${column}_sum, ${column}_n`).join(', ')}, lift_sum, lift_n, quantities)
SELECT m.org, m.month, coalesce(s.sessions, 0), coalesce(s.volunteer_ids, '{}'), coalesce(s.rating_sum, 0), coalesce(s.ratings, 0),
  coalesce(i.cash_in_kind, 0), coalesce(i.volunteer_hours, 0), i.hours_value, coalesce(i.hours_without_value, 0),
  ${SCORE_DIMENSIONS.map(([column]) => `coalesce(sc.${column}_sum, 0), coalesce(sc.${column}_n, 0)`).join(', ')}, coalesce(sc.lift_sum, 0), coalesce(sc.lift_n, 0),
  coalesce(o.quantities, '{}')
FROM months m
LEFT JOIN session_months s ON s.org = m.org AND s.month = m.month
LEFT JOIN invested_months i ON i.org = m.org AND i.month = m.month
LEFT JOIN score_months sc ON sc.org = m.org AND sc.month = m.month
LEFT JOIN outcome_months o ON o.org = m.org AND o.month = m.month`;
}

/**
 * Recomputes the months of the scope: deletes their rows and writes them again (months
 * without any activity keep no row). Returns the rows written.
 */
export async function refreshCompanyMonths(db: Knex, scope: MonthsScope): Promise<number> {
  const from = dateLiteral(scope.from);
  const until = dateLiteral(scope.until);
  const companies = scope.companies ?? null;
  // The windows sort hundreds of thousands of rows for a day of new data (millions in a full
  // rebuild); at the server's default work_mem (16 MB) they went to disk. This transaction only.
  await db.raw(`SET LOCAL work_mem = '64MB'`);
  // Reading only recent rows and participants' history pays when the scope is a few
  // companies' recent changes; over every company, set-based scans are cheaper.
  const recentOnly = scope.companies !== undefined;
  for (const table of ['company_metrics_months', 'company_metrics_language_months']) {
    await db.raw(`DELETE FROM ${table} WHERE month >= ${from} AND month < ${until} AND (?::uuid[] IS NULL OR organization_id = ANY(?::uuid[]))`, [companies, companies]);
  }
  // The months' language events read the best levels of the months before `from` only.
  const result = await db.raw(monthsSql(from, until, recentOnly), [companies, companies]);
  await db.raw(languageMonthsSql(from, until, recentOnly), [companies, companies]);
  return result.rowCount ?? 0;
}
