/**
 * The same questions the search API answers, asked of Postgres in plain SQL, written
 * independently of the query builder: who is searchable (consent, visibility, not erased),
 * who the viewer may see, which filters apply, and the disjunctive facet counts.
 */
import type { Knex } from 'knex';
import type { CandidateSearchParams, CandidateViewer } from '../src/search/candidate-query.js';
import type { OpportunitySearchParams, OpportunityViewer } from '../src/search/opportunity-query.js';

type Sql = { sql: string; bindings: Knex.RawBinding[] };
const clause = (sql: string, ...bindings: Knex.RawBinding[]): Sql => ({ sql, bindings });

function viewerClauses(viewer: CandidateViewer): Sql[] {
  if (viewer.kind === 'administrator') return [];
  const hidden = clause('NOT (c.confidential_search AND c.current_organization_id IS NOT NULL AND c.current_organization_id = ?)', viewer.organizationId);
  const inPrograms = clause("EXISTS (SELECT 1 FROM program_enrollments pe WHERE pe.user_id = u.id AND pe.status <> 'dropped' AND pe.program_id = ANY(?::uuid[]))", viewer.programIds);
  const inCohorts = clause('EXISTS (SELECT 1 FROM cohort_enrollments ce WHERE ce.user_id = u.id AND ce.cohort_id = ANY(?::uuid[]))', viewer.cohortIds);
  if (viewer.kind === 'partner') return [hidden, clause(`(${inPrograms.sql} OR ${inCohorts.sql})`, ...inPrograms.bindings, ...inCohorts.bindings)];
  return [hidden, clause(
    `(c.profile_visibility = 'public' OR EXISTS (SELECT 1 FROM introduction_requests ir WHERE ir.candidate_id = c.id AND ir.status = 'accepted' AND ir.organization_id = ?) OR ${inPrograms.sql} OR ${inCohorts.sql})`,
    viewer.organizationId, ...inPrograms.bindings, ...inCohorts.bindings,
  )];
}

const DISTANCE_KM = `(2 * 6371.0088 * asin(least(1, sqrt(power(sin(radians(l.latitude - ?) / 2), 2) + cos(radians(?)) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - ?) / 2), 2)))))`;

/** Facet-owned filters, keyed by facet, as SQL. */
function candidateFacetFilters(p: CandidateSearchParams): Record<string, Sql[]> {
  const hasSkill = (slug: string) => clause('EXISTS (SELECT 1 FROM candidate_skills cs JOIN skills s ON s.id = cs.skill_id WHERE cs.candidate_id = c.id AND s.slug = ?)', slug);
  const skills = p.skills ?? [];
  return {
    skills: skills.length === 0 ? [] : p.skillsMode === 'all' ? skills.map(hasSkill)
      : [clause('EXISTS (SELECT 1 FROM candidate_skills cs JOIN skills s ON s.id = cs.skill_id WHERE cs.candidate_id = c.id AND s.slug = ANY(?))', skills)],
    country: p.country ? [clause('l.country = ANY(?)', p.country)] : [],
    region: p.region ? [clause('l.region = ANY(?)', p.region)] : [],
    education_level: p.educationMin ? [clause('c.education_level >= ?::education_level_enum', p.educationMin)] : [],
    languages: (p.languages ?? []).map((l) => l.minLevel
      ? clause('EXISTS (SELECT 1 FROM candidate_languages cl WHERE cl.candidate_id = c.id AND cl.language_code = ? AND cl.cefr_level >= ?::cefr_level_enum)', l.code, l.minLevel)
      : clause('EXISTS (SELECT 1 FROM candidate_languages cl WHERE cl.candidate_id = c.id AND cl.language_code = ?)', l.code)),
    verification: p.verification ? [clause('c.verification_status::text = ANY(?)', p.verification)] : [],
    category: p.category ? [clause('c.category::text = ANY(?)', p.category)] : [],
    candidate_type: p.candidateType ? [clause('c.candidate_type::text = ANY(?)', p.candidateType)] : [],
    mobility: p.mobility ? [clause('c.mobility::text = ANY(?)', p.mobility)] : [],
    experience: [
      ...(p.experienceMin !== undefined ? [clause('c.years_experience >= ?', p.experienceMin)] : []),
      ...(p.experienceMax !== undefined ? [clause('c.years_experience <= ?', p.experienceMax)] : []),
    ],
  };
}

function candidateFixedFilters(p: CandidateSearchParams): Sql[] {
  const out: Sql[] = [];
  if (p.near) out.push(clause(`l.latitude IS NOT NULL AND ${DISTANCE_KM} <= ?`, p.near.lat, p.near.lat, p.near.lon, p.radiusKm ?? 50));
  if (p.city) out.push(clause('l.city = ANY(?)', p.city));
  if (p.noticeMaxDays !== undefined) out.push(clause('c.notice_period_days <= ?', p.noticeMaxDays));
  if (p.openToOpportunities !== undefined) out.push(clause('c.open_to_opportunities = ?', p.openToOpportunities));
  if (p.salaryMax !== undefined) out.push(clause('(c.salary_expectation_min IS NULL OR c.salary_expectation_min <= ?)', p.salaryMax));
  if (p.willingToRelocate !== undefined) out.push(clause('c.willing_to_relocate = ?', p.willingToRelocate));
  if (p.completenessMin !== undefined) out.push(clause('c.profile_completeness >= ?', p.completenessMin));
  if (p.program) out.push(clause("EXISTS (SELECT 1 FROM program_enrollments pe WHERE pe.user_id = u.id AND pe.status <> 'dropped' AND pe.program_id = ANY(?::uuid[]))", p.program));
  if (p.cohort) out.push(clause('EXISTS (SELECT 1 FROM cohort_enrollments ce WHERE ce.user_id = u.id AND ce.cohort_id = ANY(?::uuid[]))', p.cohort));
  return out;
}

const joinAll = (clauses: Sql[]): Sql => ({
  sql: clauses.length ? clauses.map((c) => `(${c.sql})`).join(' AND ') : 'true',
  bindings: clauses.flatMap((c) => c.bindings),
});

/**
 * Who can be found at all (DESIGN §4 and §5), written from the design rather than taken from
 * the indexer's loader, so that a loader that let private, erased, deleted or non-consenting
 * people in would disagree with this: a live profile of a live user who has not been erased,
 * visible beyond themselves, with a grant of search consent that has not been revoked.
 */
const SEARCHABLE = `c.deleted_at IS NULL
  AND u.deleted_at IS NULL AND u.erased_at IS NULL AND u.status::text <> 'DELETED'
  AND c.profile_visibility::text IN ('public', 'network')
  AND (SELECT count(*) FROM consent_records consent
       WHERE consent.user_id = u.id AND consent.consent_type = 'profile_search' AND consent.granted AND consent.revoked_at IS NULL) > 0`;

const CANDIDATE_FROM = { tables: 'candidates c JOIN users u ON u.id = c.user_id LEFT JOIN locations l ON l.id = c.location_id', where: SEARCHABLE };

/** facet → SQL yielding (value) rows per matching candidate, one per value it holds. */
const CANDIDATE_FACET_VALUES: Record<string, string> = {
  skills: 'SELECT DISTINCT c.id, s.slug AS value FROM candidate_skills cs JOIN skills s ON s.id = cs.skill_id WHERE cs.candidate_id = c.id',
  country: 'SELECT c.id, l.country AS value WHERE l.country IS NOT NULL',
  region: 'SELECT c.id, l.region AS value WHERE l.region IS NOT NULL',
  education_level: 'SELECT c.id, c.education_level::text AS value WHERE c.education_level IS NOT NULL',
  languages: 'SELECT DISTINCT c.id, cl.language_code AS value FROM candidate_languages cl WHERE cl.candidate_id = c.id',
  verification: 'SELECT c.id, c.verification_status::text AS value WHERE c.verification_status IS NOT NULL',
  category: 'SELECT c.id, c.category::text AS value WHERE c.category IS NOT NULL',
  candidate_type: 'SELECT c.id, c.candidate_type::text AS value',
  mobility: 'SELECT c.id, c.mobility::text AS value WHERE c.mobility IS NOT NULL',
  experience: `SELECT c.id, CASE WHEN c.years_experience < 2 THEN '0-1' WHEN c.years_experience < 5 THEN '2-4' WHEN c.years_experience < 10 THEN '5-9' ELSE '10+' END AS value WHERE c.years_experience IS NOT NULL`,
};
const RANGE_KEYS: Record<string, string[]> = { experience: ['0-1', '2-4', '5-9', '10+'] };

export interface OracleAnswer {
  total: number;
  facets: Record<string, Array<{ value: string; count: number }>>;
}

async function answer(
  db: Knex, from: { tables: string; where: string }, base: Sql[], facetFilters: Record<string, Sql[]>, facetValues: Record<string, string>, sizes: Record<string, number>,
): Promise<OracleAnswer> {
  const all = joinAll([...base, ...Object.values(facetFilters).flat()]);
  const { rows } = await db.raw(`SELECT count(*)::int AS n FROM ${from.tables} WHERE ${from.where} AND ${all.sql}`, all.bindings);
  const facets: OracleAnswer['facets'] = {};
  for (const [name, values] of Object.entries(facetValues)) {
    const others = joinAll([...base, ...Object.entries(facetFilters).filter(([f]) => f !== name).flatMap(([, c]) => c)]);
    const { rows: counted } = await db.raw(
      `SELECT v.value, count(DISTINCT v.id)::int AS count FROM ${from.tables} CROSS JOIN LATERAL (${values}) v WHERE ${from.where} AND ${others.sql} GROUP BY v.value`,
      others.bindings,
    );
    const list = (counted as Array<{ value: string; count: number }>).map((r) => ({ value: String(r.value), count: r.count }));
    if (RANGE_KEYS[name]) {
      facets[name] = RANGE_KEYS[name]!.map((key) => ({ value: key, count: list.find((r) => r.value === key)?.count ?? 0 }));
    } else {
      list.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
      facets[name] = list.slice(0, sizes[name]);
    }
  }
  return { total: rows[0].n, facets };
}

export function candidateOracle(db: Knex, viewer: CandidateViewer, params: CandidateSearchParams, sizes: Record<string, number>): Promise<OracleAnswer> {
  return answer(db, CANDIDATE_FROM, [...viewerClauses(viewer), ...candidateFixedFilters(params)], candidateFacetFilters(params), CANDIDATE_FACET_VALUES, sizes);
}

// ------------------------------------------------------------------ opportunities

/** A deadline date is its first instant, in UTC (how the engine reads a date). */
const DEADLINE = `(o.application_deadline::timestamp AT TIME ZONE 'UTC')`;
const OPPORTUNITY_FROM = { tables: 'opportunities o LEFT JOIN locations l ON l.id = o.location_id', where: 'true' };

function opportunityBase(viewer: OpportunityViewer, p: OpportunitySearchParams, now: Date): Sql[] {
  const out: Sql[] = [
    // Open through the deadline day (UTC).
    clause(`o.status = 'active' AND o.published_at <= ? AND (o.application_deadline IS NULL OR o.application_deadline >= (?::timestamptz AT TIME ZONE 'UTC')::date)`, now, now),
  ];
  if (viewer.kind === 'beneficiary') {
    out.push(viewer.category
      ? clause('(cardinality(o.eligible_categories) = 0 OR ?::beneficiary_category_enum = ANY(o.eligible_categories))', viewer.category)
      : clause('cardinality(o.eligible_categories) = 0 AND NOT o.is_for_vulnerable'));
  }
  const remote = p.remote ?? 'include';
  if (remote === 'only') out.push(clause(`o.remote_option = 'remote'`));
  if (remote === 'exclude') out.push(clause(`o.remote_option IS DISTINCT FROM 'remote'`));
  const place: Sql[] = [];
  if (p.near) place.push(clause(`l.latitude IS NOT NULL AND ${DISTANCE_KM} <= ?`, p.near.lat, p.near.lat, p.near.lon, p.radiusKm ?? 50));
  if (p.city) place.push(clause('l.city = ANY(?)', p.city));
  if (place.length) {
    const joined = joinAll(place);
    out.push(remote === 'include' ? clause(`((${joined.sql}) OR o.remote_option = 'remote')`, ...joined.bindings) : joined);
  }
  if (p.salaryMin !== undefined) out.push(clause('o.salary_max >= ?', p.salaryMin));
  if (p.deadlineAfter) out.push(clause(`${DEADLINE} >= ?`, p.deadlineAfter));
  if (p.deadlineBefore) out.push(clause(`${DEADLINE} <= ?`, p.deadlineBefore));
  return out;
}

function opportunityFacetFilters(p: OpportunitySearchParams): Record<string, Sql[]> {
  const list = (column: string, values?: string[]) => (values ? [clause(`${column}::text = ANY(?)`, values)] : []);
  return {
    type: list('o.type', p.type),
    sector: list('o.sector', p.sector),
    country: list('l.country', p.country),
    region: list('l.region', p.region),
    remote_option: list('o.remote_option', p.remoteOption),
    contract_type: list('o.contract_type', p.contractType),
    seniority: list('o.seniority', p.seniority),
    required_education: p.education ? [clause('(o.required_education IS NULL OR o.required_education <= ?::education_level_enum)', p.education)] : [],
    skills: p.skills ? [clause('EXISTS (SELECT 1 FROM opportunity_skills os JOIN skills s ON s.id = os.skill_id WHERE os.opportunity_id = o.id AND s.slug = ANY(?))', p.skills)] : [],
  };
}

const OPPORTUNITY_FACET_VALUES: Record<string, string> = {
  type: 'SELECT o.id, o.type::text AS value',
  sector: 'SELECT o.id, o.sector AS value WHERE o.sector IS NOT NULL',
  country: 'SELECT o.id, l.country AS value WHERE l.country IS NOT NULL',
  region: 'SELECT o.id, l.region AS value WHERE l.region IS NOT NULL',
  remote_option: 'SELECT o.id, o.remote_option::text AS value WHERE o.remote_option IS NOT NULL',
  contract_type: 'SELECT o.id, o.contract_type::text AS value WHERE o.contract_type IS NOT NULL',
  seniority: 'SELECT o.id, o.seniority::text AS value WHERE o.seniority IS NOT NULL',
  required_education: 'SELECT o.id, o.required_education::text AS value WHERE o.required_education IS NOT NULL',
  skills: `SELECT DISTINCT o.id, s.slug AS value FROM opportunity_skills os JOIN skills s ON s.id = os.skill_id WHERE os.opportunity_id = o.id AND os.requirement = 'required'`,
};

export function opportunityOracle(db: Knex, viewer: OpportunityViewer, params: OpportunitySearchParams, now: Date, sizes: Record<string, number>): Promise<OracleAnswer> {
  return answer(db, OPPORTUNITY_FROM, opportunityBase(viewer, params, now), opportunityFacetFilters(params), OPPORTUNITY_FACET_VALUES, sizes);
}
