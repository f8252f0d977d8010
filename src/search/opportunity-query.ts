/**
 * Beneficiary opportunity search. Whatever is asked, only opportunities that are published,
 * active and not past their deadline are found, and for a beneficiary only those they are
 * eligible for:
 * - an opportunity that lists eligible categories is for people of those categories only;
 * - a vulnerable-friendly opportunity (is_for_vulnerable) is reserved for people who belong
 *   to a vulnerable group (any beneficiary category).
 */
import { EDUCATION_RANK } from '../domain/ranks.js';
import { anyOf, dateSortMissingLast, everyWordClause, facetedRequests, selectFacets, highlightFor, TYPOS, missing, range, term, terms, type Clause, type FacetedQuery, type FacetSpec } from './faceted-query.js';
import { sourceOnly } from './indices.js';
import type { SkillTaxonomy } from './taxonomy.js';

export const OPPORTUNITY_SORTS = ['relevance', 'newest', 'deadline', 'salary', 'distance'] as const;
export type OpportunitySort = (typeof OPPORTUNITY_SORTS)[number];

export const OPPORTUNITY_FACETS: Record<string, FacetSpec> = {
  type: { kind: 'terms', field: 'type', size: 10 },
  sector: { kind: 'terms', field: 'sector', size: 20 },
  country: { kind: 'terms', field: 'country', size: 20 },
  region: { kind: 'terms', field: 'region', size: 20 },
  remote_option: { kind: 'terms', field: 'remote_option', size: 5 },
  contract_type: { kind: 'terms', field: 'contract_type', size: 10 },
  seniority: { kind: 'terms', field: 'seniority', size: 10 },
  required_education: { kind: 'terms', field: 'required_education', size: 10 },
  skills: { kind: 'terms', field: 'required_skills', size: 20 },
};

export interface OpportunitySearchParams {
  q?: string;
  type?: string[];
  sector?: string[];
  country?: string[];
  region?: string[];
  city?: string[];
  near?: { lat: number; lon: number };
  radiusKm?: number;
  /** include (default): remote opportunities pass location filters; only; exclude. */
  remote?: 'include' | 'only' | 'exclude';
  /** The least pay the seeker will consider: opportunities whose range reaches it. */
  salaryMin?: number;
  /** The seeker's education: opportunities requiring at most this level (or nothing). */
  education?: string;
  deadlineAfter?: string;
  deadlineBefore?: string;
  contractType?: string[];
  seniority?: string[];
  remoteOption?: string[];
  skills?: string[];
  sort?: OpportunitySort;
  size?: number;
  facets?: string[];
}

export type OpportunityViewer =
  | { kind: 'beneficiary'; category: string | null }
  | { kind: 'administrator' };


/**
 * Published, open, and (for beneficiaries) eligible — as of `now`. A deadline is a day, the
 * last on which one may apply: open through the whole of it (UTC), as skill gaps and stored
 * recommendations count it. (Compared with `now` itself, which the engine reads a date
 * against as its first instant, an opportunity vanished at midnight UTC as its last day
 * began — the evening before, for a reader in the Americas.)
 */
export function openAndEligibleClauses(viewer: OpportunityViewer, now: Date): { filter: Clause[]; mustNot: Clause[] } {
  const at = now.toISOString();
  const filter: Clause[] = [
    term('status', 'active'),
    range('published_at', { lte: at }),
    anyOf([missing('deadline'), range('deadline', { gte: at.slice(0, 10) })]),
  ];
  const mustNot: Clause[] = [];
  if (viewer.kind === 'beneficiary') {
    filter.push(anyOf([missing('eligible_categories'), ...(viewer.category ? [term('eligible_categories', viewer.category)] : [])]));
    if (!viewer.category) mustNot.push(term('is_for_vulnerable', true));
  }
  return { filter, mustNot };
}

const TEXT_FIELDS = ['title^3', 'title.en^2', 'title.fr^2', 'skill_labels^2', 'organization_name', 'description', 'description.en', 'description.fr'];
const FUZZY_FIELDS = ['title', 'skill_labels', 'organization_name'];

function textClause(q: string, taxonomy: SkillTaxonomy): Clause {
  return anyOf([
    everyWordClause(q, TEXT_FIELDS),
    { multi_match: { query: q, fields: FUZZY_FIELDS, type: 'best_fields', operator: 'and', ...TYPOS, boost: 0.5 } },
    ...taxonomy.skillsIn(q).flatMap((skill) => [
      { term: { required_skills: { value: skill.slug, boost: 3 } } },
      { term: { preferred_skills: { value: skill.slug, boost: 1.5 } } },
    ]),
  ]);
}

function facetFilters(params: OpportunitySearchParams): Record<string, Clause[]> {
  const list = (field: string, values?: string[]) => (values?.length ? [terms(field, values)] : []);
  return {
    type: list('type', params.type),
    sector: list('sector', params.sector),
    country: list('country', params.country),
    region: list('region', params.region),
    remote_option: list('remote_option', params.remoteOption),
    contract_type: list('contract_type', params.contractType),
    seniority: list('seniority', params.seniority),
    required_education: params.education ? [anyOf([missing('education_rank'), range('education_rank', { lte: EDUCATION_RANK[params.education] })])] : [],
    skills: params.skills?.length ? [anyOf([terms('required_skills', params.skills), terms('preferred_skills', params.skills)])] : [],
  };
}

function fixedFilters(params: OpportunitySearchParams): Clause[] {
  const clauses: Clause[] = [];
  const remote = params.remote ?? 'include';
  if (remote === 'only') clauses.push(term('remote_option', 'remote'));
  if (remote === 'exclude') clauses.push({ bool: { must_not: [term('remote_option', 'remote')] } });
  const place: Clause[] = [];
  if (params.near) place.push({ geo_distance: { distance: `${params.radiusKm ?? 50}km`, location: params.near } });
  if (params.city?.length) place.push(terms('city', params.city));
  if (place.length) clauses.push(remote === 'include' ? anyOf([{ bool: { filter: place } }, term('remote_option', 'remote')]) : { bool: { filter: place } });
  if (params.salaryMin !== undefined) clauses.push(range('salary_max', { gte: params.salaryMin }));
  const deadline: Record<string, string> = {};
  if (params.deadlineAfter) deadline.gte = params.deadlineAfter;
  if (params.deadlineBefore) deadline.lte = params.deadlineBefore;
  if (Object.keys(deadline).length) clauses.push(range('deadline', deadline));
  return clauses;
}

function sortClauses(params: OpportunitySearchParams): Clause[] {
  const tieBreak = { id: 'asc' };
  switch (params.sort ?? (params.q ? 'relevance' : 'newest')) {
    case 'newest':
      return [dateSortMissingLast('published_at', 'desc'), tieBreak];
    case 'deadline':
      return [dateSortMissingLast('deadline', 'asc'), tieBreak];
    case 'salary':
      return [{ salary_max: { order: 'desc', missing: '_last' } }, tieBreak];
    case 'distance':
      return [{ _geo_distance: { location: params.near, order: 'asc', unit: 'km', ignore_unmapped: true } }, tieBreak];
    default:
      return [{ _score: 'desc' }, tieBreak];
  }
}

export const OPPORTUNITY_RESULT_FIELDS = [
  'id', 'type', 'title', 'organization_id', 'organization_name', 'sector', 'seniority', 'city', 'region', 'country', 'remote_option',
  'salary_min', 'salary_max', 'salary_currency', 'contract_type', 'duration_months', 'required_education', 'experience_min_years',
  'experience_max_years', 'required_skills', 'preferred_skills', 'eligible_categories', 'is_for_vulnerable', 'investment_required',
  'deadline', 'published_at', 'source',
];

/** The engine requests for one search (see facetedRequests). */
export function opportunitySearchRequests(params: OpportunitySearchParams, viewer: OpportunityViewer, taxonomy: SkillTaxonomy, now: Date, searchAfter?: unknown[]): Array<Record<string, unknown>> {
  return facetedRequests(opportunitySearchQuery(params, viewer, taxonomy, now, searchAfter));
}

/** One search as a faceted query, before it becomes engine requests. */
export function opportunitySearchQuery(params: OpportunitySearchParams, viewer: OpportunityViewer, taxonomy: SkillTaxonomy, now: Date, searchAfter?: unknown[]): FacetedQuery {
  const scope = openAndEligibleClauses(viewer, now);
  const facets = selectFacets(OPPORTUNITY_FACETS, params.facets);
  return {
    filter: [...scope.filter, ...fixedFilters(params)],
    mustNot: scope.mustNot,
    text: params.q ? textClause(params.q, taxonomy) : undefined,
    facetFilters: facetFilters(params),
    facets,
    sort: sortClauses(params),
    size: params.size ?? 20,
    searchAfter,
    highlight: params.q
      ? highlightFor(params.q, { title: {}, description: { fragment_size: 160, number_of_fragments: 2 }, skill_labels: {} }, FUZZY_FIELDS)
      : undefined,
    // Coordinates come back only to compute distances from `near`.
    source: sourceOnly('opportunities', params.near ? [...OPPORTUNITY_RESULT_FIELDS, 'location'] : OPPORTUNITY_RESULT_FIELDS),
  };
}
