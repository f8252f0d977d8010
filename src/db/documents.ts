/**
 * Documents built from Postgres — what the search indices hold and what matching reads — one
 * round trip per batch of root ids. A root that is missing, deleted, erased, without consent
 * to be searched, or private comes back as `searchable: false`: the indexer deletes it from
 * the index (DESIGN §4, §5); matching still reads a person's own profile to serve them.
 */
import type { Knex } from 'knex';
import type { DocumentType } from '../search/indices.js';
import { bandOf, CEFR_RANK, EDUCATION_RANK, EXPERIENCE_BANDS, languageLevelTerms } from '../domain/ranks.js';

export interface LoadedDocument {
  id: string;
  searchable: boolean;
  document: Record<string, unknown>;
}


/**
 * Who may appear in candidate search at all (DESIGN §4), over `candidates c JOIN users u`:
 * not deleted or erased, a visibility other than private, and a standing consent to be
 * searched. One definition for the loader and for reconciliation, so they never disagree.
 */
export const SEARCHABLE_CANDIDATE = `(c.deleted_at IS NULL AND u.deleted_at IS NULL AND u.erased_at IS NULL AND u.status <> 'DELETED'
    AND c.profile_visibility <> 'private'
    AND EXISTS (SELECT 1 FROM consent_records cr WHERE cr.user_id = u.id AND cr.consent_type = 'profile_search' AND cr.granted AND cr.revoked_at IS NULL))`;

/**
 * One skill by its primary key, for the skill lists below. As a plain join, the planner hashed
 * the whole skills table once per document (a sequential scan in each of the loader's
 * subqueries: 60% of its time for 500 candidates); OFFSET 0 keeps this subquery from being
 * flattened into that join, so each skill is one primary-key lookup.
 */
const SKILL_BY_ID = (column: string) => `SELECT s.slug, s.skill_name, s.skill_name_fr, s.synonyms FROM skills s WHERE s.id = ${column} OFFSET 0`;

const CANDIDATES_SQL = `
SELECT c.id, pg_current_snapshot()::text AS snapshot, ${SEARCHABLE_CANDIDATE} AS searchable,
  jsonb_build_object(
    'candidate_type', c.candidate_type, 'category', c.category, 'headline', c.headline, 'summary', c.summary,
    'titles', array(SELECT DISTINCT t FROM unnest(array_append(array(SELECT e.job_title FROM candidate_experience e WHERE e.candidate_id = c.id), c.current_title)) t WHERE t IS NOT NULL ORDER BY t),
    'skills', coalesce((SELECT jsonb_agg(jsonb_build_object('slug', s.slug, 'label', s.skill_name, 'label_fr', s.skill_name_fr, 'synonyms', s.synonyms,
        'proficiency', cs.proficiency_level, 'years', cs.years_of_experience, 'declared', cs.source = 'declared', 'primary', cs.is_primary_skill) ORDER BY s.slug)
      FROM candidate_skills cs CROSS JOIN LATERAL (${SKILL_BY_ID('cs.skill_id')}) s WHERE cs.candidate_id = c.id), '[]'::jsonb),
    'languages', coalesce((SELECT jsonb_agg(jsonb_build_object('code', cl.language_code, 'level', cl.cefr_level, 'native', cl.is_native) ORDER BY cl.language_code)
      FROM candidate_languages cl WHERE cl.candidate_id = c.id), '[]'::jsonb),
    'education_level', c.education_level, 'experience_years', c.years_experience,
    'location', CASE WHEN l.id IS NULL THEN NULL ELSE jsonb_build_object('lat', l.latitude, 'lon', l.longitude) END,
    'city', l.city, 'region', l.region, 'country', l.country,
    'mobility', c.mobility, 'willing_to_relocate', c.willing_to_relocate,
    'salary_min', c.salary_expectation_min, 'salary_max', c.salary_expectation_max, 'salary_currency', c.salary_currency,
    'notice_period_days', c.notice_period_days, 'open_to_opportunities', c.open_to_opportunities,
    'verification', c.verification_status, 'visibility', c.profile_visibility, 'confidential', c.confidential_search,
    'hidden_from_organization_ids', CASE WHEN c.confidential_search AND c.current_organization_id IS NOT NULL THEN jsonb_build_array(c.current_organization_id) ELSE '[]'::jsonb END,
    -- Ranked for the opportunity of a recruiter only with consent to matching, as for recommendations.
    'matching_consent', EXISTS (SELECT 1 FROM consent_records cr WHERE cr.user_id = u.id AND cr.consent_type = 'matching' AND cr.granted AND cr.revoked_at IS NULL),
    'introduced_organization_ids', array(SELECT DISTINCT ir.organization_id FROM introduction_requests ir WHERE ir.candidate_id = c.id AND ir.status = 'accepted' ORDER BY 1),
    -- A programme shares a network profile with its organisation while the person takes part
    -- (or completed it); one who dropped out no longer does.
    'program_ids', array(SELECT pe.program_id FROM program_enrollments pe WHERE pe.user_id = u.id AND pe.status <> 'dropped' ORDER BY 1),
    'cohort_ids', array(SELECT ce.cohort_id FROM cohort_enrollments ce WHERE ce.user_id = u.id ORDER BY 1),
    'talent_pool_ids', array(SELECT tm.talent_pool_id FROM talent_pool_members tm WHERE tm.candidate_id = c.id ORDER BY 1),
    'completeness', c.profile_completeness, 'preferred_language', u.preferred_language,
    'last_active_at', c.last_active_at, 'updated_at', greatest(c.updated_at, u.updated_at)
  ) AS document
FROM candidates c JOIN users u ON u.id = c.user_id LEFT JOIN locations l ON l.id = c.location_id
WHERE c.id = ANY(?::uuid[])`;

const OPPORTUNITIES_SQL = `
SELECT o.id, pg_current_snapshot()::text AS snapshot, true AS searchable,
  jsonb_build_object(
    'type', o.type, 'title', o.title, 'description', o.description, 'language', o.language,
    'organization_id', CASE WHEN o.is_confidential THEN NULL ELSE o.organization_id END,
    'organization_name', CASE WHEN o.is_confidential THEN NULL ELSE org.name END,
    'sector', o.sector, 'seniority', o.seniority,
    'location', CASE WHEN l.id IS NULL THEN NULL ELSE jsonb_build_object('lat', l.latitude, 'lon', l.longitude) END,
    'city', l.city, 'region', l.region, 'country', l.country, 'remote_option', o.remote_option,
    'salary_min', o.salary_min, 'salary_max', o.salary_max, 'salary_currency', o.salary_currency,
    'contract_type', o.contract_type, 'duration_months', o.duration_months, 'required_education', o.required_education,
    'experience_min_years', o.experience_min_years, 'experience_max_years', o.experience_max_years,
    'skills', coalesce((SELECT jsonb_agg(jsonb_build_object('slug', s.slug, 'label', s.skill_name, 'label_fr', s.skill_name_fr, 'synonyms', s.synonyms, 'requirement', os.requirement) ORDER BY s.slug)
      FROM opportunity_skills os CROSS JOIN LATERAL (${SKILL_BY_ID('os.skill_id')}) s WHERE os.opportunity_id = o.id), '[]'::jsonb),
    'eligible_categories', o.eligible_categories, 'is_for_vulnerable', o.is_for_vulnerable, 'investment_required', o.investment_required,
    'deadline', o.application_deadline, 'status', o.status, 'published_at', o.published_at, 'source', o.source,
    'confidential', o.is_confidential, 'updated_at', o.updated_at
  ) AS document
FROM opportunities o JOIN organizations org ON org.id = o.organization_id LEFT JOIN locations l ON l.id = o.location_id
WHERE o.id = ANY(?::uuid[])`;

interface SkillRow { slug: string; label: string; label_fr: string | null; synonyms: string[]; proficiency?: string; years?: number | null; declared?: boolean; primary?: boolean; requirement?: string }

function skillLabels(skills: SkillRow[]): string[] {
  return [...new Set(skills.flatMap((s) => [s.label, s.label_fr ?? '', ...(s.synonyms ?? [])]).filter(Boolean))];
}

function shapeCandidate(document: Record<string, unknown>): Record<string, unknown> {
  const skills = document.skills as SkillRow[];
  const languages = document.languages as Array<{ code: string; level: string; native: boolean }>;
  return {
    ...document,
    skills: skills.map((s) => ({ slug: s.slug, label: s.label, proficiency: s.proficiency, years: s.years ?? null, declared: s.declared, primary: s.primary })),
    skill_slugs: skills.map((s) => s.slug),
    skill_labels: skillLabels(skills),
    languages: languages.map((l) => ({ ...l, rank: CEFR_RANK[l.level] ?? 0 })),
    language_codes: languages.map((l) => l.code),
    language_levels: languages.flatMap((l) => languageLevelTerms(l.code, l.level)),
    education_rank: document.education_level ? EDUCATION_RANK[document.education_level as string] : null,
    experience_band: bandOf(document.experience_years as number | null, EXPERIENCE_BANDS),
  };
}

function shapeOpportunity(document: Record<string, unknown>): Record<string, unknown> {
  const { skills, ...rest } = document as Record<string, unknown> & { skills: SkillRow[] };
  return {
    ...rest,
    required_skills: skills.filter((s) => s.requirement === 'required').map((s) => s.slug),
    preferred_skills: skills.filter((s) => s.requirement === 'preferred').map((s) => s.slug),
    skill_labels: skillLabels(skills),
    education_rank: rest.required_education ? EDUCATION_RANK[rest.required_education as string] : null,
  };
}

/** Loads the documents for `ids`; ids that no longer exist come back unsearchable. */
export async function loadDocuments(db: Knex, type: DocumentType, ids: readonly string[]): Promise<LoadedDocument[]> {
  return (await loadDocumentsWithSnapshot(db, type, ids)).documents;
}

/**
 * `loadDocuments`, with the snapshot the query read them in (`pg_current_snapshot()`:
 * "xmin:xmax:xip,…"), which tells which transactions the documents include; null when none
 * of the ids exists.
 */
export async function loadDocumentsWithSnapshot(db: Knex, type: DocumentType, ids: readonly string[]): Promise<{ documents: LoadedDocument[]; snapshot: string | null }> {
  if (ids.length === 0) return { documents: [], snapshot: null };
  const { rows } = await db.raw<{ rows: Array<{ id: string; snapshot: string; searchable: boolean; document: Record<string, unknown> }> }>(
    type === 'candidates' ? CANDIDATES_SQL : OPPORTUNITIES_SQL, [ids as string[]]);
  const found = new Map(rows.map((row) => [row.id, row]));
  const documents = ids.map((id) => {
    const row = found.get(id);
    if (!row) return { id, searchable: false, document: {} };
    const document = type === 'candidates' ? shapeCandidate(row.document) : shapeOpportunity(row.document);
    return { id, searchable: row.searchable, document: { id, ...document } };
  });
  return { documents, snapshot: rows[0]?.snapshot ?? null };
}
