/** The matching endpoints' part of the OpenAPI document. */
import { OPPORTUNITY_TYPES } from '../db/models/enums.js';
import { EVENTS } from './routes/matching.js';

const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
/** What every route that reads a JSON body may answer besides its own errors (body.ts). */
const bodyErrors = { 413: err('Body larger than 64 KiB'), 415: err('Not JSON (Content-Type: application/json)') };
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const common = { 401: err('No valid token'), 429: err('Rate limit exceeded') };
/** Where an answer needs the search engine (ranking, or finding the opportunity). */
const searchDown = { 503: err('The search engine is unavailable; try again') };
const secured = { security: [{ bearer: [] }] };

export const MATCHING_PATHS = {
  '/v1/me/recommendations': {
    get: {
      ...secured, summary: 'Ranked opportunities for the calling beneficiary, with chips; each item is stored as a recommendation, and the set is served again while still valid',
      parameters: [
        { name: 'type', in: 'query', schema: { type: 'array', items: { type: 'string', enum: OPPORTUNITY_TYPES } }, style: 'form', explode: false, description: 'Opportunity types' },
        { name: 'size', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50 }, description: 'How many (default 20)' },
        { name: 'fresh', in: 'query', schema: { type: 'boolean' }, description: 'Rank now even when the last ranked set (e.g. the nightly one) is still valid' },
      ],
      responses: { 200: json('modelVersion, generatedAt, ranked (false when the last ranked set was served again: nothing it was ranked from has changed), and results with recommendationId, rank, score, opportunity, chips'), 400: err('Invalid parameters'), 403: err('Not a beneficiary, no candidate profile, or no consent to matching'), ...searchDown, ...common },
    },
  },
  '/v1/me/skill-gaps': {
    get: {
      ...secured, summary: 'The missing skills that would turn the most open opportunities into matches for the caller, with trainings that teach them',
      parameters: [{ name: 'size', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50 } }],
      responses: { 200: json('results: skill, unlocks, trainings, text'), 400: err('Invalid parameters'), 403: err('Not a beneficiary or no candidate profile'), ...common },
    },
  },
  '/v1/recommendations/{id}/events': {
    post: {
      ...secured, summary: 'Move a recommendation through its lifecycle (an Idempotency-Key header makes retries safe)',
      parameters: [id, { name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 200 } }],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['event'], additionalProperties: false, properties: { event: { type: 'string', enum: EVENTS }, rating: { type: 'integer', minimum: 1, maximum: 5, description: 'feedback only' }, text: { type: 'string', maxLength: 2000, description: 'feedback only' } } } } } },
      responses: { 200: json('The recommendation\'s new state: id, status, viewedAt, clicked, applied, dismissedAt, feedbackRating'), 400: err('Invalid event'), 404: err('Not your recommendation'), 409: err('Idempotency-Key reused for another request'), ...bodyErrors, ...common },
    },
  },
  '/v1/applications': {
    post: {
      ...secured, summary: 'Apply to an open opportunity you are eligible for; the application gets a fit score (0–100) and its chips',
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['opportunityId'], additionalProperties: false, properties: { opportunityId: { type: 'string', format: 'uuid' }, recommendationId: { type: 'string', format: 'uuid' }, coverLetter: { type: 'string', maxLength: 10000 } } } } } },
      responses: { 201: json('id, status, aiFitScore, explainability'), 400: err('Invalid application'), 403: err('Not a beneficiary or no candidate profile'), 404: err('Not an open opportunity for you, or not your recommendation'), 409: err('Already applied'), ...bodyErrors, ...searchDown, ...common },
    },
  },
  '/v1/opportunities/{id}/candidates': {
    get: {
      ...secured, summary: 'Ranked candidates for your organisation\'s opportunity, with chips, under the privacy rules of search',
      parameters: [id, { name: 'size', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } }],
      responses: { 200: json('results with rank, score, candidate (masked until introduced), chips'), 400: err('Invalid parameters'), 403: err('Role not allowed'), 404: err('Not an opportunity of your organisation'), ...searchDown, ...common },
    },
  },
};
