/**
 * `cohort-metrics`: one cohort_metrics row per cohort and day — enrolled, waiting, in
 * progress, complete, document verification states, and demographics (gender, age band,
 * race, disability) with every group under 5 people suppressed (src/domain/suppression.ts).
 * Enrolment states have no history in the learnership data, so the row for a past day
 * counts the enrolments that existed by then, in their current state.
 *
 * Demographics are snapshots: a cohort's are taken again only once at least MIN_GROUP people
 * have enrolled since the last snapshot, and each day shows the latest snapshot. Taken every
 * day, two consecutive days told a reader the gender, race, age band and disability of the one
 * person who enrolled in between (a review reproduced it); between snapshots now at least five
 * people came, and which of them is which is not in the figures.
 */
import type { Knex } from 'knex';
import type { Logger } from '../../src/log.js';
import { MIN_GROUP, suppress } from '../../src/domain/suppression.js';
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
  count(e.id) FILTER (WHERE e.document_verification_state = 'rejected')::int AS verification_rejected
FROM cohorts c CROSS JOIN generate_series(:from::date, :to::date - 1, interval '1 day') d(day)
LEFT JOIN cohort_enrollments e ON e.cohort_id = c.id AND (e.created_at AT TIME ZONE 'UTC')::date <= d.day
WHERE (c.created_at AT TIME ZONE 'UTC')::date <= d.day
GROUP BY c.id, d.day ORDER BY 1, 2`;

/** Enrolments per cohort and day of enrolment, for the snapshot days. */
const ENROLMENT_DAYS_SQL = `
SELECT cohort_id, to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*)::int AS n
FROM cohort_enrollments WHERE cohort_id = ANY(:cohorts::uuid[]) GROUP BY 1, 2 ORDER BY 1, 2`;

/** The people of each (cohort, snapshot day): the enrolments that existed by then. */
const PEOPLE_SQL = `
SELECT s.cohort_id, to_char(s.day, 'YYYY-MM-DD') AS day,
  -- student_data is what the learnership app stored: an age or a flag that is not one counts as unknown.
  jsonb_agg(jsonb_build_object('gender', e.student_data->>'gender', 'race', e.student_data->>'race',
    'age', CASE WHEN e.student_data->>'age' ~ '^[0-9]{1,3}$' THEN (e.student_data->>'age')::int END,
    'disability', CASE WHEN e.student_data->>'disability' IN ('true', 'false') THEN (e.student_data->>'disability')::boolean END)) AS people
FROM unnest(:cohorts::uuid[], :days::date[]) s(cohort_id, day)
JOIN cohort_enrollments e ON e.cohort_id = s.cohort_id AND (e.created_at AT TIME ZONE 'UTC')::date <= s.day
GROUP BY 1, 2`;

/**
 * The days on which a cohort's demographics are taken, in order: its first day with an
 * enrolment, then each day by which at least MIN_GROUP more people have enrolled than at the
 * last snapshot.
 */
export function snapshotDays(enrolments: ReadonlyArray<{ day: string; n: number }>, minimum = MIN_GROUP): string[] {
  const days: string[] = [];
  let total = 0;
  let atLast = 0;
  for (const { day, n } of enrolments) {
    total += n;
    if (days.length === 0 || total - atLast >= minimum) {
      days.push(day);
      atLast = total;
    }
  }
  return days;
}

/** The latest of `days` (ascending) on or before `day`, if any. */
function latestOnOrBefore(days: readonly string[], day: string): string | undefined {
  let found: string | undefined;
  for (const d of days) {
    if (d > day) break;
    found = d;
  }
  return found;
}

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
  const { rows } = await deps.db.raw<{ rows: Array<Record<string, unknown> & { cohort_id: string; metric_date: string }> }>(SQL, { from: scope.from, to: scope.to });
  const cohorts = [...new Set(rows.map((row) => row.cohort_id))];
  // Snapshot days from each cohort's whole enrolment history (a run over a few days still
  // needs the snapshot taken before them).
  const { rows: enrolmentDays } = await deps.db.raw<{ rows: Array<{ cohort_id: string; day: string; n: number }> }>(ENROLMENT_DAYS_SQL, { cohorts });
  const byCohort = new Map<string, Array<{ day: string; n: number }>>(cohorts.map((cohort) => [cohort, []]));
  for (const r of enrolmentDays) byCohort.get(r.cohort_id)!.push(r);
  const snapshots = new Map([...byCohort].map(([cohort, days]) => [cohort, snapshotDays(days)]));
  // Each row's snapshot (none before the cohort's first enrolment), and the people of each.
  const snapshotOf = rows.map((row) => latestOnOrBefore(snapshots.get(row.cohort_id)!, row.metric_date));
  const wanted = new Map<string, { cohort: string; day: string }>();
  rows.forEach((row, i) => { if (snapshotOf[i]) wanted.set(`${row.cohort_id} ${snapshotOf[i]}`, { cohort: row.cohort_id, day: snapshotOf[i]! }); });
  const pairs = [...wanted.values()];
  const { rows: people } = await deps.db.raw<{ rows: Array<{ cohort_id: string; day: string; people: Parameters<typeof demographics>[0] }> }>(PEOPLE_SQL, { cohorts: pairs.map((p) => p.cohort), days: pairs.map((p) => p.day) });
  const peopleAt = new Map(people.map((r) => [`${r.cohort_id} ${r.day}`, r.people]));
  const metrics = rows.map((row, i) => ({ ...row, demographics: JSON.stringify(demographics(peopleAt.get(`${row.cohort_id} ${snapshotOf[i]}`) ?? [])) }));
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
