/**
 * Where SROI outcome quantities come from: for each outcome key of a value map, the events in
 * the data that count towards it, one row per record, with the record's table and id. The
 * quantity for a company and period is the sum of `amount` over its events in the period;
 * the evidence behind the quantity is the same rows (evidence lineage, DESIGN §7).
 *
 * Every event query returns: organization_id, record_table, record_id, user_id, occurred_at
 * (when it counts), amount, changed_at (for incremental runs).
 *
 * | key           | counts                                                                      |
 * | ------------- | --------------------------------------------------------------------------- |
 * | employment    | a placement of someone enrolled in one of the company's programmes before it started |
 * | language_gain | each CEFR step above the best level a participant had reached before, in the company's language sessions |
 * | job_readiness | the first job-readiness score ≥ 0.15 above the participant's first (baseline) score |
 * | wellbeing     | the first buddy check-in at good or great after an earlier one at okay or below |
 * | credential    | a course completed with a credential, in one of the company's programmes    |
 */

// A CASE, not array_position(enum_range(...)): the catalogue lookup per row made the
// language events ten times slower on millions of sessions.
/** A session's CEFR level as 1–6 (over `s.language_level`). */
export const RANK = `CASE s.language_level WHEN 'A1' THEN 1 WHEN 'A2' THEN 2 WHEN 'B1' THEN 3 WHEN 'B2' THEN 4 WHEN 'C1' THEN 5 WHEN 'C2' THEN 6 END`;

/**
 * The event queries, each restricted by `companies` — a SQL predicate over
 * `p.organization_id` (the programme's company) placed inside the query, so a run or a
 * drill-down for some companies reads only their history.
 *
 * `since` (a SQL date expression, optional): the caller wants only events occurring on or
 * after it, so each query reads the history of just the participants (placements, courses)
 * that can have such an event — those with a qualifying row since then. An event depends on
 * its participant's earlier rows (baseline, best level so far), never on anyone else's, so
 * their whole history is still read: the result is exact for events from `since` onwards,
 * and events before it are incomplete (the caller filters them out; allOutcomeEvents does).
 * Those participants are found, with their company, through the companies' programmes, and
 * their history in that company fetched by participant and the company's programmes (LATERAL
 * index lookups; OFFSET 0 stops the planner from flattening them into a hash join over the
 * whole table). With `since`, the `companies` predicate appears twice per query: pass one
 * without bind parameters.
 */
export function outcomeEvents(companies: string, since?: string): Record<string, string> {
  const recent = (sql: string) => (since === undefined ? '' : `AND ${sql}`);
  /**
   * `who`: the participants (`column` of `r`) and their companies (organization_id, with the
   * array of the company's programmes) of the recent rows `recentRows` (aliases `r` and `p`).
   */
  const who = (column: string, recentRows: string) => `
    (SELECT w.*, op.programs FROM (SELECT DISTINCT r.${column}, p.organization_id FROM ${recentRows} WHERE ${companies}) w
      JOIN (SELECT organization_id, array_agg(id) AS programs FROM programs GROUP BY 1) op ON op.organization_id = w.organization_id) who`;
  /** Rows of `table` in a programme since `since` and matching `where`, as `r` with its programme `p`. */
  const recentIn = (table: string, where: string) => `programs p CROSS JOIN LATERAL (SELECT * FROM ${table} r WHERE r.program_id = p.id AND ${where} OFFSET 0) r`;
  /**
   * `table` as `alias`, with `programs p` (p.organization_id only): without `since`, joined;
   * with it, the rows (matching `where`, over `h`) of each participant in `who` (by `key`) in
   * the programmes of that company. `where` repeats the query's own filter: OFFSET 0 keeps
   * outer conditions out of the lookup.
   */
  const rows = (table: string, alias: string, key: string, where = 'true') => (since === undefined
    ? `${table} ${alias} JOIN programs p ON p.id = ${alias}.program_id`
    : `CROSS JOIN LATERAL (SELECT h.* FROM ${table} h WHERE h.${key} = who.${key} AND h.program_id = ANY(who.programs) AND ${where} OFFSET 0) ${alias}
        CROSS JOIN LATERAL (SELECT who.organization_id) p(organization_id)`);
  return {
  employment: `
    SELECT DISTINCT ON (p.organization_id, pl.id) p.organization_id, 'placements'::text AS record_table, pl.id AS record_id, c.user_id,
      (pl.start_date::timestamp AT TIME ZONE 'UTC') AS occurred_at, 1::numeric AS amount, pl.updated_at AS changed_at
    FROM placements pl JOIN candidates c ON c.id = pl.candidate_id
    JOIN program_enrollments pe ON pe.user_id = c.user_id AND pe.enrolled_at <= (pl.start_date::timestamp AT TIME ZONE 'UTC')
    JOIN programs p ON p.id = pe.program_id
    WHERE ${companies} ${recent(`pl.start_date >= ${since}`)}
    ORDER BY p.organization_id, pl.id`,
  language_gain: `
    SELECT organization_id, 'sessions'::text AS record_table, record_id, user_id, occurred_at, (rank - prev_max)::numeric AS amount, changed_at FROM (
      SELECT p.organization_id, s.id AS record_id, s.participant_id AS user_id, s.completed_at AS occurred_at, s.updated_at AS changed_at, ${RANK} AS rank,
        max(${RANK}) OVER (PARTITION BY p.organization_id, s.participant_id ORDER BY s.completed_at, s.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max
      FROM ${since === undefined ? '' : who('participant_id', recentIn('sessions', `r.completed_at >= ${since} AND r.session_type = 'language' AND r.language_level IS NOT NULL`))}
        ${rows('sessions', 's', 'participant_id', `h.session_type = 'language' AND h.completed_at IS NOT NULL AND h.language_level IS NOT NULL`)}
      WHERE s.session_type = 'language' AND s.completed_at IS NOT NULL AND s.language_level IS NOT NULL AND ${companies}
    ) x WHERE prev_max IS NOT NULL AND rank > prev_max`,
  job_readiness: `
    SELECT DISTINCT ON (organization_id, user_id) organization_id, 'outcome_scores'::text AS record_table, record_id, user_id, occurred_at, 1::numeric AS amount, changed_at FROM (
      SELECT p.organization_id, os.id AS record_id, os.user_id, os.scored_at AS occurred_at, os.created_at AS changed_at, os.score,
        first_value(os.score) OVER w AS baseline, row_number() OVER w AS n
      FROM ${since === undefined ? '' : who('user_id', recentIn('outcome_scores', `r.scored_at >= ${since} AND r.dimension = 'job_readiness'`))}
        ${rows('outcome_scores', 'os', 'user_id', `h.dimension = 'job_readiness'`)}
      WHERE os.dimension = 'job_readiness' AND ${companies}
      WINDOW w AS (PARTITION BY p.organization_id, os.user_id ORDER BY os.scored_at, os.id)
    ) x WHERE n > 1 AND score >= baseline + 0.15
    ORDER BY organization_id, user_id, occurred_at, record_id`,
  wellbeing: `
    SELECT DISTINCT ON (organization_id, user_id) organization_id, 'buddy_checkins'::text AS record_table, record_id, user_id, occurred_at, 1::numeric AS amount, changed_at FROM (
      SELECT p.organization_id, bc.id AS record_id, bm.participant_id AS user_id, bc.checkin_date AS occurred_at, bc.created_at AS changed_at, bc.mood,
        bool_or(bc.mood IN ('okay', 'struggling', 'difficult')) OVER (PARTITION BY p.organization_id, bm.participant_id ORDER BY bc.checkin_date, bc.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS was_low
      FROM ${since === undefined ? '' : who('participant_id', `buddy_checkins c JOIN buddy_matches r ON r.id = c.match_id JOIN programs p ON p.id = r.program_id
          AND c.checkin_date >= ${since} AND c.mood IN ('good', 'great')`)}
        ${rows('buddy_matches', 'bm', 'participant_id')}
      JOIN buddy_checkins bc ON bc.match_id = bm.id
      WHERE ${companies}
    ) x WHERE mood IN ('good', 'great') AND was_low
    ORDER BY organization_id, user_id, occurred_at, record_id`,
  credential: `
    SELECT p.organization_id, 'learning_progress'::text AS record_table, lp.id AS record_id, lp.user_id, lp.completed_at AS occurred_at, 1::numeric AS amount, lp.updated_at AS changed_at
    FROM learning_progress lp JOIN programs p ON p.id = lp.program_id
    WHERE lp.status = 'completed' AND lp.credential_ref IS NOT NULL AND lp.completed_at IS NOT NULL AND ${companies} ${recent(`lp.completed_at >= ${since}`)}`,
  };
}

export const OUTCOME_KEYS = Object.keys(outcomeEvents('true'));

/**
 * Every outcome event as one relation (with its key), for aggregation; with `since`, only
 * those occurring from then on. `replace`: a key's query written by the caller instead
 * (company-metrics reads the best level so far from its own state; a test holds the two equal).
 */
export function allOutcomeEvents(companies: string, since?: string, replace: Record<string, string> = {}): string {
  const events = { ...outcomeEvents(companies, since), ...replace };
  const from = since === undefined ? '' : ` WHERE e.occurred_at >= ${since}`;
  return OUTCOME_KEYS.map((key) => `SELECT '${key}'::text AS outcome_key, e.* FROM (${events[key]}) e${from}`).join('\nUNION ALL\n');
}

/**
 * The records behind the activity figures of a company-period (what the dashboard's
 * evidence drawer lists for participants, volunteers, sessions, volunteer hours and
 * investment), in the same shape as outcome events plus `ended_at` (enrolments count for
 * every period they overlap).
 */
export function figureEvents(companies: string): Record<string, string> {
  return {
    // Enrolments, which count for every period they overlap (ended_at says until when).
    participants: `
      SELECT p.organization_id, 'program_enrollments'::text AS record_table, pe.id AS record_id, pe.user_id, pe.enrolled_at AS occurred_at,
        1::numeric AS amount, pe.completed_at AS ended_at
      FROM program_enrollments pe JOIN programs p ON p.id = pe.program_id WHERE ${companies}`,
    sessions: `
      SELECT p.organization_id, 'sessions'::text AS record_table, s.id AS record_id, s.participant_id AS user_id, s.completed_at AS occurred_at, 1::numeric AS amount, NULL::timestamptz AS ended_at
      FROM sessions s JOIN programs p ON p.id = s.program_id WHERE s.completed_at IS NOT NULL AND ${companies}`,
    volunteers: `
      SELECT p.organization_id, 'sessions'::text AS record_table, s.id AS record_id, s.volunteer_id AS user_id, s.completed_at AS occurred_at, 1::numeric AS amount, NULL::timestamptz AS ended_at
      FROM sessions s JOIN programs p ON p.id = s.program_id WHERE s.completed_at IS NOT NULL AND s.volunteer_id IS NOT NULL AND ${companies}`,
    volunteer_hours: `
      SELECT i.organization_id, 'investments'::text AS record_table, i.id AS record_id, NULL::uuid AS user_id, (i.invested_on::timestamp AT TIME ZONE 'UTC') AS occurred_at,
        i.hours AS amount, NULL::timestamptz AS ended_at
      FROM investments i CROSS JOIN LATERAL (SELECT i.organization_id) p(organization_id) WHERE i.investment_type = 'volunteer_hours' AND ${companies}`,
    investment: `
      SELECT i.organization_id, 'investments'::text AS record_table, i.id AS record_id, NULL::uuid AS user_id, (i.invested_on::timestamp AT TIME ZONE 'UTC') AS occurred_at,
        coalesce(i.amount, i.hours * i.hourly_value, 0) AS amount, NULL::timestamptz AS ended_at
      FROM investments i CROSS JOIN LATERAL (SELECT i.organization_id) p(organization_id) WHERE ${companies}`,
  };
}

export const FIGURE_KEYS = Object.keys(figureEvents('true'));
