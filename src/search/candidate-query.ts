/**
 * Recruiter candidate search: parameters in, one engine request out. Privacy lives here and
 * nowhere else (DESIGN §4): whatever a caller asks, the clauses from `privacyClauses` are in
 * the request, so a candidate who is confidential towards the viewer's organisation, or whose
 * visibility does not reach the viewer, cannot be a hit or a facet count. (Candidates without
 * consent, private or erased, are never in the index at all: the indexer deletes them.)
 */
import { EDUCATION_RANK, EXPERIENCE_BANDS, languageLevelTerm } from '../domain/ranks.js';
import { anyOf, dateSortMissingLast, everyWordClause, facetedRequests, selectFacets, highlightFor, TYPOS, missing, range, term, terms, type Clause, type FacetedQuery, type FacetSpec } from './faceted-query.js';
import { sourceOnly } from './indices.js';
import type { SkillEntry, SkillTaxonomy } from './taxonomy.js';

export const CANDIDATE_SORTS = ['relevance', 'experience', 'last_active', 'distance'] as const;
export type CandidateSort = (typeof CANDIDATE_SORTS)[number];

export const CANDIDATE_FACETS: Record<string, FacetSpec> = {
  skills: { kind: 'terms', field: 'skill_slugs', size: 20 },
  country: { kind: 'terms', field: 'country', size: 20 },
  region: { kind: 'terms', field: 'region', size: 20 },
  education_level: { kind: 'terms', field: 'education_level', size: 10 },
  languages: { kind: 'terms', field: 'language_codes', size: 20 },
  verification: { kind: 'terms', field: 'verification', size: 10 },
  category: { kind: 'terms', field: 'category', size: 10 },
  candidate_type: { kind: 'terms', field: 'candidate_type', size: 10 },
  mobility: { kind: 'terms', field: 'mobility', size: 10 },
  experience: { kind: 'bands', field: 'experience_band', bands: EXPERIENCE_BANDS },
};
export type CandidateFacet = keyof typeof CANDIDATE_FACETS;

export interface CandidateSearchParams {
  q?: string;
  skills?: string[];
  skillsMode?: 'any' | 'all';
  near?: { lat: number; lon: number };
  radiusKm?: number;
  country?: string[];
  region?: string[];
  city?: string[];
  educationMin?: string;
  experienceMin?: number;
  experienceMax?: number;
  /** Each entry: a language code and, optionally, the lowest CEFR level that counts. */
  languages?: Array<{ code: string; minLevel?: string }>;
  noticeMaxDays?: number;
  openToOpportunities?: boolean;
  /** The recruiter's salary ceiling: candidates expecting at most this (or not saying). */
  salaryMax?: number;
  salaryCurrency?: string;
  verification?: string[];
  category?: string[];
  candidateType?: string[];
  mobility?: string[];
  willingToRelocate?: boolean;
  completenessMin?: number;
  program?: string[];
  cohort?: string[];
  talentPool?: string;
  sort?: CandidateSort;
  size?: number;
  facets?: string[];
}

/**
 * Who is searching, resolved from Postgres by the API (never from the request):
 * - recruiter: public profiles, plus "network" profiles of people in the organisation's
 *   programmes or cohorts or already introduced to it;
 * - partner (institution or NGO staff): only the participants of their own programmes and
 *   cohorts (tenant scoping);
 * - administrator: everyone in the index.
 * Everyone but administrators is subject to confidential search against their organisation.
 */
export type CandidateViewer =
  | { kind: 'recruiter'; organizationId: string; programIds: string[]; cohortIds: string[] }
  | { kind: 'partner'; organizationId: string; programIds: string[]; cohortIds: string[] }
  | { kind: 'administrator'; organizationId?: string };

/** Matches nothing: a scope with no members must find no one rather than everyone. */
const NOTHING: Clause = { bool: { must_not: [{ match_all: {} }] } };

export function privacyClauses(viewer: CandidateViewer): { filter: Clause[]; mustNot: Clause[] } {
  if (viewer.kind === 'administrator') return { filter: [], mustNot: [] };
  const mustNot = [term('hidden_from_organization_ids', viewer.organizationId)];
  const memberships = [
    ...(viewer.programIds.length ? [terms('program_ids', viewer.programIds)] : []),
    ...(viewer.cohortIds.length ? [terms('cohort_ids', viewer.cohortIds)] : []),
  ];
  if (viewer.kind === 'partner') return { filter: [memberships.length ? anyOf(memberships) : NOTHING], mustNot };
  return {
    filter: [anyOf([term('visibility', 'public'), term('introduced_organization_ids', viewer.organizationId), ...memberships])],
    mustNot,
  };
}

const TEXT_FIELDS = ['headline^3', 'headline.en^2', 'headline.fr^2', 'titles^2', 'titles.en', 'titles.fr', 'skill_labels^2', 'summary', 'summary.en', 'summary.fr'];
/**
 * Typo tolerance where typos matter and cost little: the short fields (copied into
 * typo_text for matching; highlighted each on its own). Fuzzy matching over every field
 * (summaries and both stemmed variants) tripled the engine's time per search.
 */
const FUZZY_FIELDS = ['headline', 'titles', 'skill_labels'];

/**
 * A skill's English and French names, whole: stop words stay, since in a name they can be the
 * name ("IT Support" without "it" would be any profile saying "support").
 */
function skillNames(skill: SkillEntry): string[] {
  return [...new Set([skill.label, skill.labelFr].filter((name): name is string => !!name))];
}

export function textClause(q: string, taxonomy: SkillTaxonomy): Clause {
  const expansions = taxonomy.skillsIn(q);
  return anyOf([
    // Every word somewhere in the profile: "classroom management" must not bring back every
    // manager (and scoring a third of the index cost more than the rest of the search); the
    // exact phrase ranks higher.
    everyWordClause(q, TEXT_FIELDS),
    // One edit for short words, two for long ones; the first letter must match. Weighted
    // below exact matches, so "welder" ranks welders above "wilder". Over typo_text, the
    // short fields in one (see the mapping).
    { match: { typo_text: { query: q, operator: 'and', ...TYPOS, boost: 0.5 } } },
    ...expansions.flatMap((skill) => [
      { term: { skill_slugs: { value: skill.slug, boost: 3 } } },
      // Every word of the name, as for `q` itself: "gestion de projet" must not bring back
      // every profile that says "gestion", or "de" (it once did: wrong hits, and scoring
      // them cost more than the rest of the text query).
      ...skillNames(skill).map((name) => ({ multi_match: { query: name, fields: ['headline', 'titles', 'summary'], type: 'best_fields', operator: 'and', boost: 0.5 } })),
    ]),
  ]);
}

function sortClauses(params: CandidateSearchParams): Clause[] {
  const tieBreak = { id: 'asc' };
  switch (params.sort ?? (params.q ? 'relevance' : 'last_active')) {
    case 'experience':
      return [{ experience_years: { order: 'desc', missing: '_last' } }, tieBreak];
    case 'last_active':
      return [dateSortMissingLast('last_active_at', 'desc'), tieBreak];
    case 'distance':
      return [{ _geo_distance: { location: params.near, order: 'asc', unit: 'km', ignore_unmapped: true } }, tieBreak];
    default:
      return [{ _score: 'desc' }, tieBreak];
  }
}

/** The facet-owned filters, keyed by facet; each facet's counts ignore only its own. */
function facetFilters(params: CandidateSearchParams): Record<string, Clause[]> {
  const languageClauses = (params.languages ?? []).map(({ code, minLevel }) =>
    minLevel ? term('language_levels', languageLevelTerm(code, minLevel)) : term('language_codes', code));
  const skills = params.skills ?? [];
  const experience: Record<string, number> = {};
  if (params.experienceMin !== undefined) experience.gte = params.experienceMin;
  if (params.experienceMax !== undefined) experience.lte = params.experienceMax;
  return {
    skills: skills.length === 0 ? [] : params.skillsMode === 'all' ? skills.map((slug) => term('skill_slugs', slug)) : [terms('skill_slugs', skills)],
    country: params.country?.length ? [terms('country', params.country)] : [],
    region: params.region?.length ? [terms('region', params.region)] : [],
    education_level: params.educationMin ? [range('education_rank', { gte: EDUCATION_RANK[params.educationMin] })] : [],
    // Every listed language is required (a recruiter asking for English and French wants both).
    languages: languageClauses,
    verification: params.verification?.length ? [terms('verification', params.verification)] : [],
    category: params.category?.length ? [terms('category', params.category)] : [],
    candidate_type: params.candidateType?.length ? [terms('candidate_type', params.candidateType)] : [],
    mobility: params.mobility?.length ? [terms('mobility', params.mobility)] : [],
    experience: Object.keys(experience).length ? [range('experience_years', experience)] : [],
  };
}

/** Filters that own no facet: they shape the hits and every facet count alike. */
function fixedFilters(params: CandidateSearchParams): Clause[] {
  const clauses: Clause[] = [];
  if (params.near) clauses.push({ geo_distance: { distance: `${params.radiusKm ?? 50}km`, location: params.near } });
  if (params.city?.length) clauses.push(terms('city', params.city));
  if (params.noticeMaxDays !== undefined) clauses.push(range('notice_period_days', { lte: params.noticeMaxDays }));
  if (params.openToOpportunities !== undefined) clauses.push(term('open_to_opportunities', params.openToOpportunities));
  if (params.salaryMax !== undefined) clauses.push(anyOf([missing('salary_min'), range('salary_min', { lte: params.salaryMax })]));
  if (params.salaryCurrency) clauses.push(anyOf([missing('salary_currency'), term('salary_currency', params.salaryCurrency)]));
  if (params.willingToRelocate !== undefined) clauses.push(term('willing_to_relocate', params.willingToRelocate));
  if (params.completenessMin !== undefined) clauses.push(range('completeness', { gte: params.completenessMin }));
  if (params.program?.length) clauses.push(terms('program_ids', params.program));
  if (params.cohort?.length) clauses.push(terms('cohort_ids', params.cohort));
  if (params.talentPool) clauses.push(term('talent_pool_ids', params.talentPool));
  return clauses;
}

/** Fields a result needs; names are not among them (they are not in the index). */
export const CANDIDATE_RESULT_FIELDS = [
  'id', 'candidate_type', 'category', 'headline', 'titles', 'skills', 'languages', 'education_level', 'experience_years',
  'city', 'region', 'country', 'mobility', 'willing_to_relocate', 'salary_min', 'salary_max', 'salary_currency',
  'notice_period_days', 'open_to_opportunities', 'verification', 'completeness', 'last_active_at', 'introduced_organization_ids',
];

/** The engine requests for one search (see facetedRequests). */
export function candidateSearchRequests(params: CandidateSearchParams, viewer: CandidateViewer, taxonomy: SkillTaxonomy, searchAfter?: unknown[]): Array<Record<string, unknown>> {
  return facetedRequests(candidateSearchQuery(params, viewer, taxonomy, searchAfter));
}

/** One search as a faceted query, before it becomes engine requests. */
export function candidateSearchQuery(params: CandidateSearchParams, viewer: CandidateViewer, taxonomy: SkillTaxonomy, searchAfter?: unknown[]): FacetedQuery {
  const privacy = privacyClauses(viewer);
  const facets = selectFacets(CANDIDATE_FACETS, params.facets);
  return {
    filter: [...privacy.filter, ...fixedFilters(params)],
    mustNot: privacy.mustNot,
    text: params.q ? textClause(params.q, taxonomy) : undefined,
    facetFilters: facetFilters(params),
    facets,
    sort: sortClauses(params),
    size: params.size ?? 20,
    searchAfter,
    highlight: params.q
      ? highlightFor(params.q, { headline: {}, summary: { fragment_size: 160, number_of_fragments: 2 }, titles: {}, skill_labels: {} }, FUZZY_FIELDS)
      : undefined,
    // Coordinates come back only to compute distances from `near`.
    source: sourceOnly('candidates', params.near ? [...CANDIDATE_RESULT_FIELDS, 'location'] : CANDIDATE_RESULT_FIELDS),
  };
}
