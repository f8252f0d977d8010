/**
 * The search endpoints' part of the OpenAPI document. Parameter lists are checked against
 * what the request readers accept (test/search-api.test.ts), so the document cannot drift.
 */
import {
  BENEFICIARY_CATEGORIES, CANDIDATE_TYPES, CONTRACT_TYPES, EDUCATION_LEVELS, MOBILITIES, OPPORTUNITY_TYPES, POOL_VISIBILITIES,
  REMOTE_OPTIONS, SENIORITIES, VERIFICATION_STATUSES, VIEW_SOURCES,
} from '../db/models/enums.js';
import { CANDIDATE_FACETS, CANDIDATE_SORTS } from '../search/candidate-query.js';
import { OPPORTUNITY_FACETS, OPPORTUNITY_SORTS } from '../search/opportunity-query.js';

type Schema = Record<string, unknown>;
const str: Schema = { type: 'string' };
const list = (values?: readonly string[]): Schema => ({ type: 'array', items: values ? { type: 'string', enum: values } : { type: 'string' }, description: 'Repeat the parameter or separate values with commas' });
const int = (minimum: number, maximum: number): Schema => ({ type: 'integer', minimum, maximum });
const bool: Schema = { type: 'boolean' };
const uuid: Schema = { type: 'string', format: 'uuid' };

const query = (name: string, schema: Schema, description: string) => ({ name, in: 'query', required: false, schema, description, ...(schema.type === 'array' ? { style: 'form', explode: false } : {}) });

const paging = [
  query('sort', str, 'Sort order (default: relevance with text, otherwise the most recent first)'),
  query('size', int(1, 100), 'Results per page (default 20)'),
  query('cursor', str, 'The nextCursor of the previous page, with the same other parameters'),
];

export const CANDIDATE_SEARCH_PARAMETERS = [
  query('q', str, 'Full text over headline, summary, titles and skills (typo-tolerant; skill synonyms from the taxonomy; English and French)'),
  query('skills', list(), 'Skill slugs'),
  query('skills_mode', { type: 'string', enum: ['any', 'all'] }, 'Whether a candidate needs any (default) or all of the skills'),
  query('near', str, '"lat,lon": only candidates within radius_km of this point'),
  query('radius_km', int(1, 2000), 'Radius for near (default 50)'),
  query('country', list(), 'ISO country codes'),
  query('region', list(), 'Regions'),
  query('city', list(), 'Cities'),
  query('education_min', { type: 'string', enum: EDUCATION_LEVELS }, 'Education at least this level'),
  query('experience_min', int(0, 80), 'Years of experience, at least'),
  query('experience_max', int(0, 80), 'Years of experience, at most'),
  query('languages', list(), 'Language codes, each optionally with the lowest CEFR level (fr:B2); every listed language is required'),
  query('notice_max_days', int(0, 730), 'Available within this many days'),
  query('open_to_opportunities', bool, 'Only candidates (not) open to opportunities'),
  query('salary_max', { type: 'number', minimum: 0 }, 'Salary ceiling: candidates expecting at most this, or not saying'),
  query('salary_currency', str, 'ISO currency of the expectation (candidates without one pass)'),
  query('verification', list(VERIFICATION_STATUSES), 'Verification levels'),
  query('category', list(BENEFICIARY_CATEGORIES), 'Beneficiary categories'),
  query('candidate_type', list(CANDIDATE_TYPES), 'Kinds of candidate'),
  query('mobility', list(MOBILITIES), 'Mobility'),
  query('willing_to_relocate', bool, 'Willing to relocate'),
  query('completeness_min', int(0, 100), 'Profile completeness, at least (percent)'),
  query('program', { ...list(), items: uuid }, 'Programme ids of your organisation: their participants only (404 for any other)'),
  query('cohort', { ...list(), items: uuid }, 'Cohort ids of your organisation: their members only (404 for any other)'),
  query('talent_pool', uuid, 'A talent pool of your organisation (404 for any other)'),
  query('facets', list(Object.keys(CANDIDATE_FACETS)), 'Facets to count (default: all)'),
  ...paging.map((p) => (p.name === 'sort' ? { ...p, schema: { type: 'string', enum: CANDIDATE_SORTS } } : p)),
];

export const OPPORTUNITY_SEARCH_PARAMETERS = [
  query('q', str, 'Full text over title, skills, organisation and description'),
  query('type', list(OPPORTUNITY_TYPES), 'Opportunity types'),
  query('sector', list(), 'Sectors'),
  query('country', list(), 'ISO country codes'),
  query('region', list(), 'Regions'),
  query('city', list(), 'Cities'),
  query('near', str, '"lat,lon": only opportunities within radius_km (remote ones pass unless remote=exclude)'),
  query('radius_km', int(1, 2000), 'Radius for near (default 50)'),
  query('remote', { type: 'string', enum: ['include', 'only', 'exclude'] }, 'Remote opportunities: let through location filters (default), only them, or none'),
  query('salary_min', { type: 'number', minimum: 0 }, 'The least pay to consider: opportunities whose range reaches it'),
  query('education', { type: 'string', enum: EDUCATION_LEVELS }, 'Your education: opportunities requiring at most this'),
  query('deadline_after', { type: 'string', format: 'date' }, 'Deadline on or after'),
  query('deadline_before', { type: 'string', format: 'date' }, 'Deadline on or before'),
  query('contract_type', list(CONTRACT_TYPES), 'Contract types'),
  query('seniority', list(SENIORITIES), 'Seniority'),
  query('remote_option', list(REMOTE_OPTIONS), 'On site, hybrid, remote'),
  query('skills', list(), 'Skill slugs, required or preferred'),
  query('facets', list(Object.keys(OPPORTUNITY_FACETS)), 'Facets to count (default: all)'),
  ...paging.map((p) => (p.name === 'sort' ? { ...p, schema: { type: 'string', enum: OPPORTUNITY_SORTS } } : p)),
];

const json = (description: string, schema: Schema = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
/** What every route that reads a JSON body may answer besides its own errors (body.ts). */
const bodyErrors = { 413: err('Body larger than 64 KiB'), 415: err('Not JSON (Content-Type: application/json)') };
const common = { 401: err('Missing, malformed, altered or expired token'), 429: err('Rate limit exceeded; see Retry-After') };
const secured = { security: [{ bearer: [] }] };
const idParam = { name: 'id', in: 'path', required: true, schema: uuid };

const page = {
  type: 'object',
  required: ['searchId', 'total', 'results', 'facets', 'nextCursor'],
  properties: {
    searchId: { type: 'string', format: 'uuid', description: 'Report clicks against it' },
    total: { type: 'integer' },
    results: { type: 'array', items: { type: 'object' } },
    facets: { type: 'object', additionalProperties: { type: 'array', items: { type: 'object', properties: { value: str, count: { type: 'integer' }, label: str } } } },
    nextCursor: { type: ['string', 'null'] },
    tookMs: { type: 'integer' },
  },
};

const storedBody = (extra: Record<string, Schema>, required: string[]) => ({
  required: true,
  content: { 'application/json': { schema: { type: 'object', required: ['name', ...required], additionalProperties: false, properties: { name: { type: 'string', maxLength: 160 }, query: { type: 'object', description: 'Search parameters, as in the search endpoint' }, ...extra } } } },
});

export const SEARCH_PATHS = {
  '/v1/candidates/search': {
    get: {
      ...secured, summary: 'Recruiter candidate search (administrator, recruiter, institution_admin, ngo_partner)', parameters: CANDIDATE_SEARCH_PARAMETERS,
      description: 'Only candidates who consented to be searched and whose visibility reaches you; never a confidential candidate to their current employer; names masked until an introduction is accepted. Facets are disjunctive.',
      responses: { 200: json('A page of candidates with facets', page), 400: err('Invalid parameters (details.problems names each)'), 403: err('Your role or membership may not search'), 404: err('A talent pool, programme or cohort that is not your organisation\'s'), ...common },
    },
  },
  '/v1/candidates/{id}': {
    get: {
      ...secured, summary: 'Open a profile (logged as a profile view)',
      parameters: [idParam, query('source', { type: 'string', enum: VIEW_SOURCES }, 'Where the view came from (default direct)'), query('opportunity', uuid, 'The opportunity it was viewed for')],
      responses: { 200: json('The profile'), 403: err('Your role may not search candidates'), 404: err('No such candidate visible to you'), ...common },
    },
  },
  '/v1/opportunities/search': {
    get: {
      ...secured, summary: 'Beneficiary opportunity search (beneficiary, administrator)', parameters: OPPORTUNITY_SEARCH_PARAMETERS,
      description: 'Only published, active opportunities open through their deadline day (UTC), and for a beneficiary only those they are eligible for (eligible categories; vulnerable-friendly ones for people of a vulnerable group).',
      responses: { 200: json('A page of opportunities with facets', page), 400: err('Invalid parameters'), 403: err('Your role may not search opportunities, or you have no candidate profile'), ...common },
    },
  },
  '/v1/opportunities/{id}': {
    get: { ...secured, summary: 'Open an opportunity', parameters: [idParam], responses: { 200: json('The opportunity'), 403: err('Role not allowed'), 404: err('Not open, or not for you'), ...common } },
  },
  '/v1/searches/{id}/clicks': {
    post: {
      ...secured, summary: 'Report a click on a result of one of your searches', parameters: [idParam],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['resultId'], additionalProperties: false, properties: { resultId: uuid, position: { type: 'integer', minimum: 0 } } } } } },
      responses: { 204: { description: 'Recorded' }, 400: err('Invalid body'), 404: err('No search of yours with this id'), ...bodyErrors, ...common },
    },
  },
  '/v1/talent-pools': {
    get: { ...secured, summary: 'Your organisation\'s shared pools and your private ones', responses: { 200: json('Pools'), 403: err('Role not allowed'), ...common } },
    post: {
      ...secured, summary: 'Create a talent pool from a candidate search', requestBody: storedBody({ visibility: { type: 'string', enum: POOL_VISIBILITIES } }, []),
      responses: { 201: json('The pool'), 400: err('Invalid body or stored query'), 403: err('Role not allowed'), 404: err('The query names a programme or cohort that is not your organisation\'s'), 409: err('Name taken'), ...bodyErrors, ...common },
    },
  },
  '/v1/talent-pools/{id}': {
    get: { ...secured, summary: 'One pool', parameters: [idParam], responses: { 200: json('The pool'), 404: err('Not a pool you can see'), ...common } },
    delete: { ...secured, summary: 'Delete your pool', parameters: [idParam], responses: { 204: { description: 'Deleted' }, 403: err('Not the owner'), 404: err('Not a pool you can see'), ...common } },
  },
  '/v1/talent-pools/{id}/run': {
    post: {
      ...secured, summary: 'Run the pool\'s search, add new matches, and list them', parameters: [idParam, query('size', int(1, 100), 'New members to list (default 20)')],
      responses: { 200: json('matches, newCount, new, previousRunAt, ranAt'), 404: err('Not a pool you can see'), ...common },
    },
  },
  '/v1/saved-searches': {
    get: { ...secured, summary: 'Your saved searches', responses: { 200: json('Saved searches'), ...common } },
    post: {
      ...secured, summary: 'Save a candidate or opportunity search',
      requestBody: storedBody({ audience: { type: 'string', enum: ['candidates', 'opportunities'] }, alertsEnabled: bool }, ['audience']),
      responses: { 201: json('The saved search'), 400: err('Invalid body or stored query'), 403: err('You may not search this audience'), 404: err('The query names a programme or cohort that is not your organisation\'s'), 409: err('Name taken'), ...bodyErrors, ...common },
    },
  },
  '/v1/saved-searches/{id}': {
    get: { ...secured, summary: 'One saved search', parameters: [idParam], responses: { 200: json('The saved search'), 404: err('Not yours'), ...common } },
    delete: { ...secured, summary: 'Delete it', parameters: [idParam], responses: { 204: { description: 'Deleted' }, 404: err('Not yours'), ...common } },
  },
  '/v1/saved-searches/{id}/run': {
    post: {
      ...secured, summary: 'Run it again and list what is new since the last run', parameters: [idParam, query('size', int(1, 100), 'New results to list (default 20)')],
      responses: { 200: json('matches, newCount, new, previousRunAt, ranAt'), 403: err('You may no longer search this audience'), 404: err('Not yours'), ...common },
    },
  },
};
