/**
 * Skill gaps: the missing skills that would unlock the most opportunities for a person, with
 * the training programmes that teach each ("Learn Excel → 12 more matches"). An opportunity
 * is a match when the person has at least half of its required skills (where the ranking
 * calls it a good match); a skill unlocks the open, eligible opportunities that are not a
 * match today and would be with it.
 * For funders, the same summed over their programmes' participants.
 */
import type { Knex } from 'knex';

export interface SkillGap {
  slug: string;
  label: string;
  labelFr: string | null;
  /** Opportunities this one skill would complete (per person; summed over people for funders). */
  unlocks: number;
  people?: number;
  trainings: Array<{ id: string; title: string; provider: string | null; durationWeeks: number | null }>;
}

/** For each of `candidateIds`: the missing required skills that would turn an opportunity into a match. */
const GAPS_SQL = `
WITH people AS (SELECT c.id, c.category FROM candidates c WHERE c.id = ANY(:ids::uuid[])),
open AS (
  SELECT o.id, o.eligible_categories, o.is_for_vulnerable FROM opportunities o
  WHERE o.status = 'active' AND o.published_at <= :now AND (o.application_deadline IS NULL OR o.application_deadline >= (:now::timestamptz AT TIME ZONE 'UTC')::date)
),
coverage AS (
  SELECT p.id AS person, o.id AS opportunity, count(*)::int AS required,
    count(cs.skill_id)::int AS held, array_agg(os.skill_id) FILTER (WHERE cs.skill_id IS NULL) AS missing
  FROM people p JOIN open o ON (cardinality(o.eligible_categories) = 0 OR p.category = ANY(o.eligible_categories)) AND (NOT o.is_for_vulnerable OR p.category IS NOT NULL)
  JOIN opportunity_skills os ON os.opportunity_id = o.id AND os.requirement = 'required'
  LEFT JOIN candidate_skills cs ON cs.candidate_id = p.id AND cs.skill_id = os.skill_id
  GROUP BY p.id, o.id
),
unlocked AS (
  -- Not a match today (under half the required skills), a match with one more.
  SELECT person, opportunity, unnest(missing) AS skill_id FROM coverage WHERE held * 2 < required AND (held + 1) * 2 >= required
)
SELECT s.slug, s.skill_name AS label, s.skill_name_fr AS label_fr, count(*)::int AS unlocks, count(DISTINCT l.person)::int AS people,
  coalesce((SELECT jsonb_agg(jsonb_build_object('id', tp.id, 'title', tp.title, 'provider', org.name, 'durationWeeks', tp.duration_weeks) ORDER BY tp.title)
    FROM training_program_skills tps JOIN training_programs tp ON tp.id = tps.training_program_id LEFT JOIN organizations org ON org.id = tp.provider_id
    WHERE tps.skill_id = s.id AND tp.status = 'active'), '[]') AS trainings
FROM unlocked l JOIN skills s ON s.id = l.skill_id
GROUP BY s.id ORDER BY unlocks DESC, s.slug LIMIT :limit`;

export async function skillGaps(db: Knex, candidateIds: string[], now: Date, limit = 10): Promise<SkillGap[]> {
  if (candidateIds.length === 0) return [];
  const { rows } = await db.raw(GAPS_SQL, { ids: candidateIds, now, limit });
  return rows.map((r: Record<string, any>) => ({ slug: r.slug, label: r.label, labelFr: r.label_fr, unlocks: r.unlocks, people: r.people, trainings: (r.trainings as SkillGap['trainings']).slice(0, 5) }));
}
