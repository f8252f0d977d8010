/**
 * `cohort-metrics`: one cohort_metrics row per cohort and day — enrolled, waiting, in
 * progress, complete, document verification states, and demographics (gender, age band,
 * race, disability) with every group under 5 people suppressed (src/domain/suppression.ts).
 * Enrolment states have no history in the learnership data, so the row for a past day
 * counts the enrolments that existed by then, in their current state.
 */
import type { Knex } from 'knex';
import type { Logger } from '../../src/log.js';
import { suppress } from '../../src/domain/suppression.js';
import type { JobScope } from '../runner.js';
import { upsertChanged } from '../upsert.js';

const SQL = `
SELECT c.id AS cohort_id, to_char(d.day, 'YYYY-MM-DD') AS metric_date,
  count(e.id)::int AS enrolled,
  count(e.id) FILTER (WHERE e.state = 'waiting')::int AS waiting,
  count(e.id) FILTER (WHERE e.state = 'in_progress')::int AS in_progress,
  count(e.id) FILTER (WHERE e.state = 'complete')::int AS complete,
  count(e.id) FILTER (WHERE e.document_verification_state = 'pending')::int AS verification_pending,
  count(e.id) FILTER (WHERE e.document_verification_state = 'verified')::int AS verification_verified,
  count(e.id) FILTER (WHERE e.document_verification_state = 'rejected')::int AS verification_rejected,
  coalesce(jsonb_agg(jsonb_build_object('gender', e.student_data->>'gender', 'race', e.student_data->>'race',
    'age', (e.student_data->>'age')::int, 'disability', (e.student_data->>'disability')::boolean)) FILTER (WHERE e.id IS NOT NULL), '[]') AS people
FROM cohorts c CROSS JOIN generate_series(:from::date, :to::date - 1, interval '1 day') d(day)
LEFT JOIN cohort_enrollments e ON e.cohort_id = c.id AND (e.created_at AT TIME ZONE 'UTC')::date <= d.day
WHERE (c.created_at AT TIME ZONE 'UTC')::date <= d.day
GROUP BY c.id, d.day ORDER BY 1, 2`;

const ageBand = (age: number | null) => (age === null || Number.isNaN(age) ? 'unknown' : age < 25 ? '18-24' : age < 30 ? '25-29' : age < 35 ? '30-34' : '35+');

function demographics(people: Array<{ gender: string | null; race: string | null; age: number | null; disability: boolean | null }>) {
  const tally = (key: (p: (typeof people)[number]) => string) => {
    const counts: Record<string, number> = {};
    for (const person of people) counts[key(person)] = (counts[key(person)] ?? 0) + 1;
    return suppress(counts);
  };
  return {
    gender: tally((p) => p.gender ?? 'unknown'),
    age: tally((p) => ageBand(p.age)),
    race: tally((p) => p.race ?? 'unknown'),
    disability: tally((p) => (p.disability === null ? 'unknown' : p.disability ? 'yes' : 'no')),
  };
}

const COLUMNS = ['enrolled', 'waiting', 'in_progress', 'complete', 'verification_pending', 'verification_verified', 'verification_rejected', 'demographics'];

export async function runCohortMetrics(deps: { db: Knex; log: Logger }, scope: JobScope): Promise<number> {
  const { rows } = await deps.db.raw(SQL, { from: scope.from, to: scope.to });
  const metrics = rows.map(({ people, ...row }: Record<string, unknown> & { people: never }) => ({ ...row, demographics: JSON.stringify(demographics(people)) }));
  const changed = await upsertChanged(deps.db, 'cohort_metrics', ['cohort_id', 'metric_date'], COLUMNS, metrics);
  deps.log.info('pipelines: cohort metrics', { rows: rows.length, changed });
  return changed;
}

export const cohortMetricsJob = {
  name: 'cohort-metrics',
  schedule: '10 * * * *',
  description: 'cohort_metrics: per cohort and day, enrolment and verification states and suppressed demographics',
  run: (deps: { db: Knex; log: Logger }, scope: JobScope) => runCohortMetrics(deps, scope),
  async earliest(db: Knex): Promise<string | null> {
    const { rows: [row] } = await db.raw(`SELECT to_char(min(created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM cohorts`);
    return row.day ?? null;
  },
  async touched(db: Knex, since: Date) {
    // A changed enrolment's current state shows on every day since it was created.
    const { rows: [row] } = await db.raw(`
      SELECT to_char(min(day), 'YYYY-MM-DD') AS day FROM (
        SELECT (created_at AT TIME ZONE 'UTC')::date AS day FROM cohort_enrollments WHERE updated_at > :since
        UNION ALL SELECT (created_at AT TIME ZONE 'UTC')::date FROM cohorts WHERE updated_at > :since) t`, { since });
    return row.day ? [{ from: row.day as string, companies: [] }] : [];
  },
};
