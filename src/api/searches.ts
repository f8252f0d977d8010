/**
 * Running a search: parameters and viewer → engine requests → a response shaped for people.
 * Used by the search endpoints and by talent pools and saved searches, so a stored search
 * obeys exactly the same privacy rules as a live one.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { distanceKm } from '../domain/geo.js';
import type { SearchBackend, SearchHit, SearchResponse } from '../search/backend.js';
import { candidateSearchRequests, type CandidateSearchParams, type CandidateViewer, CANDIDATE_FACETS } from '../search/candidate-query.js';
import { opportunitySearchRequests, type OpportunitySearchParams, type OpportunityViewer, OPPORTUNITY_FACETS } from '../search/opportunity-query.js';
import { decodeCursor, encodeCursor, fingerprint, readFacets, searchFaceted, selectFacets, type FacetBucket, type FacetSpec } from '../search/faceted-query.js';
import { aliasName } from '../search/indices.js';
import type { SkillTaxonomy } from '../search/taxonomy.js';
import type { TaxonomyCache } from './taxonomy-cache.js';
import type { SearchLog } from './search-log.js';
import type { TokenClaims } from './tokens.js';
import { NotFoundError, ServiceError, ValidationError } from '../errors.js';

export interface SearchServices {
  db: Knex;
  search: SearchBackend;
  indexPrefix: string;
  taxonomy: TaxonomyCache;
  searchLog: SearchLog;
  now: () => Date;
}

export interface SearchPage<T> {
  searchId: string;
  total: number;
  results: T[];
  facets: Record<string, Array<FacetBucket & { label?: string }>>;
  nextCursor: string | null;
  tookMs: number;
}

/**
 * A name is shown only to an organisation the candidate accepted an introduction from; until
 * then a label from the id's last digits, which tell people apart (the first ones are a
 * time or kind prefix in time-ordered ids: every demo candidate was "Candidate 0E0000").
 */
export function displayName(id: string): string {
  return `Candidate ${id.replace(/-/g, '').slice(-6).toUpperCase()}`;
}

function nextCursor(hits: SearchHit[], size: number, question: string): string | null {
  const last = hits[hits.length - 1];
  return hits.length === size && last?.sort ? encodeCursor(last.sort, question) : null;
}

function labelSkillFacet(buckets: FacetBucket[] | undefined, taxonomy: SkillTaxonomy, language?: string) {
  return buckets?.map((b) => ({ ...b, label: taxonomy.label(b.value, language) ?? b.value }));
}

export async function candidateNames(db: Knex, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db('candidates as c').join('users as u', 'u.id', 'c.user_id').whereIn('c.id', ids).select('c.id', 'u.first_name', 'u.last_name');
  return new Map(rows.map((r) => [r.id as string, [r.first_name, r.last_name].filter(Boolean).join(' ')]));
}

/**
 * Sends a page's requests. Cursors are opaque but not signed: one altered by hand can carry
 * sort values the engine refuses (too few, a string for a date, a number out of range). That
 * is the caller's input, so it is a 400 naming the cursor, not the engine's 503 and its text.
 */
async function searchPage(s: SearchServices, alias: string, requests: Array<Record<string, unknown>>): Promise<SearchResponse> {
  const after = requests[0]!.search_after as unknown[] | undefined;
  const badCursor = () => new ValidationError('The cursor is not one this API issued', { param: 'cursor' }, 'cursor_invalid');
  if (after && after.length !== (requests[0]!.sort as unknown[]).length) throw badCursor();
  try {
    return await searchFaceted(s.search, alias, requests);
  } catch (error) {
    if (after && error instanceof ServiceError && error.code === 'search_rejected') throw badCursor();
    throw error;
  }
}

type SearchOptions = { cursor?: string; language?: string; log?: { filters: Record<string, unknown> } };

/** What both searches do with an engine answer: facets (skills labelled), the log row, the page. */
function finishPage<T>(
  s: SearchServices, auth: TokenClaims, audience: 'candidates' | 'opportunities',
  run: { params: { q?: string }; options: SearchOptions; taxonomy: SkillTaxonomy; response: SearchResponse; results: T[]; started: number; size: number; question: string; facetSpecs: Record<string, FacetSpec> },
): SearchPage<T> {
  const { response } = run;
  const facets: SearchPage<T>['facets'] = readFacets(response.aggregations, run.facetSpecs);
  if (facets.skills) facets.skills = labelSkillFacet(facets.skills, run.taxonomy, run.options.language)!;
  const searchId = randomUUID();
  if (run.options.log) {
    s.searchLog.record({
      id: searchId, userId: auth.sub, organizationId: auth.org ?? null, audience, text: run.params.q ?? null,
      filters: run.options.log.filters, resultsCount: response.total, durationMs: Math.round(performance.now() - run.started), at: s.now(),
    });
  }
  return { searchId, total: response.total, results: run.results, facets, nextCursor: nextCursor(response.hits, run.size, run.question), tookMs: response.tookMs };
}

export interface CandidateResult {
  id: string;
  name: string | null;
  displayName: string;
  masked: boolean;
  score: number | null;
  distanceKm?: number;
  highlights?: Record<string, string[]>;
  [field: string]: unknown;
}

/**
 * Talent pools the caller may filter by: their organisation's shared pools and their own
 * private ones (administrators: any). Anything else is a 404, as if it did not exist.
 */
export function visiblePools(db: Knex, auth: TokenClaims) {
  const query = db('talent_pools');
  if (auth.roles.includes('administrator')) return query;
  return query.where({ organization_id: auth.org ?? null }).andWhere((q) => q.where({ visibility: 'organization' }).orWhere({ owner_user_id: auth.sub }));
}

/**
 * A programme or cohort filter names one of the caller's organisation's own (administrators:
 * any). Another organisation's would list its participants (their public profiles), and who
 * takes part in which programme is that organisation's to know: a 404, as for a foreign pool.
 */
export function refuseForeignMemberships(viewer: CandidateViewer, params: Pick<CandidateSearchParams, 'program' | 'cohort'>): void {
  if (viewer.kind === 'administrator') return;
  if (params.program?.some((id) => !viewer.programIds.includes(id))) throw new NotFoundError('No programme of your organisation has this id', 'program_not_found');
  if (params.cohort?.some((id) => !viewer.cohortIds.includes(id))) throw new NotFoundError('No cohort of your organisation has this id', 'cohort_not_found');
}

export async function searchCandidates(
  s: SearchServices, auth: TokenClaims, viewer: CandidateViewer, params: CandidateSearchParams,
  options: SearchOptions = {},
): Promise<SearchPage<CandidateResult>> {
  const started = performance.now();
  if (params.talentPool && !(await visiblePools(s.db, auth).where({ id: params.talentPool }).first('id'))) {
    throw new NotFoundError('No talent pool with this id is visible to you', 'talent_pool_not_found');
  }
  refuseForeignMemberships(viewer, params);
  const taxonomy = await s.taxonomy.get();
  const question = fingerprint({ params, viewer: viewer.kind });
  const searchAfter = options.cursor ? decodeCursor(options.cursor, question) : undefined;
  const size = params.size ?? 20;
  const requests = candidateSearchRequests(params, viewer, taxonomy, searchAfter);
  const response = await searchPage(s, aliasName(s.indexPrefix, 'candidates'), requests);
  const viewerOrg = viewer.organizationId;
  const unmasked = response.hits.filter((h) => viewerOrg && ((h.source.introduced_organization_ids as string[] | undefined) ?? []).includes(viewerOrg)).map((h) => h.id);
  const names = await candidateNames(s.db, unmasked);
  const results = response.hits.map((hit): CandidateResult => {
    const { introduced_organization_ids: _introduced, location, ...fields } = hit.source;
    const name = names.get(hit.id) ?? null;
    const point = location as { lat: number; lon: number } | undefined;
    return {
      ...fields,
      id: hit.id,
      name,
      displayName: name ?? displayName(hit.id),
      masked: name === null,
      score: hit.score,
      ...(params.near && point ? { distanceKm: Math.round(distanceKm(params.near, point) * 10) / 10 } : {}),
      ...(hit.highlight ? { highlights: hit.highlight } : {}),
    };
  });
  return finishPage(s, auth, 'candidates', { params, options, taxonomy, response, results, started, size, question, facetSpecs: selectFacets(CANDIDATE_FACETS, params.facets) });
}

export interface OpportunityResult {
  id: string;
  score: number | null;
  distanceKm?: number;
  highlights?: Record<string, string[]>;
  [field: string]: unknown;
}

export async function searchOpportunities(
  s: SearchServices, auth: TokenClaims, viewer: OpportunityViewer, params: OpportunitySearchParams,
  options: SearchOptions = {},
): Promise<SearchPage<OpportunityResult>> {
  const started = performance.now();
  const taxonomy = await s.taxonomy.get();
  const question = fingerprint({ params, viewer });
  const searchAfter = options.cursor ? decodeCursor(options.cursor, question) : undefined;
  const size = params.size ?? 20;
  const requests = opportunitySearchRequests(params, viewer, taxonomy, s.now(), searchAfter);
  const response = await searchPage(s, aliasName(s.indexPrefix, 'opportunities'), requests);
  const results = response.hits.map((hit): OpportunityResult => {
    const { location, ...fields } = hit.source;
    const point = location as { lat: number; lon: number } | undefined;
    return {
      ...fields,
      id: hit.id,
      score: hit.score,
      ...(params.near && point ? { distanceKm: Math.round(distanceKm(params.near, point) * 10) / 10 } : {}),
      ...(hit.highlight ? { highlights: hit.highlight } : {}),
    };
  });
  return finishPage(s, auth, 'opportunities', { params, options, taxonomy, response, results, started, size, question, facetSpecs: selectFacets(OPPORTUNITY_FACETS, params.facets) });
}
