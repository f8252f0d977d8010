/** The OpenAPI document served at /v1/openapi.json: the contract of what exists today. */
import { SEARCH_PATHS } from './openapi-search.js';
import { REPORT_PATHS } from './openapi-reports.js';
import { MATCHING_PATHS } from './openapi-matching.js';

const error = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, requestId: { type: 'string' }, details: { type: 'object' } },
    },
  },
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'Meridian API', version: '1.0.0', description: 'Search, matching and impact analytics for opportunity programmes.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: error },
    },
    paths: {
      ...SEARCH_PATHS,
      ...REPORT_PATHS,
      ...MATCHING_PATHS,
      '/health': {
        get: {
          summary: 'Postgres, search engine and replication slot status',
          responses: { 200: { description: 'All healthy' }, 503: { description: 'Something is degraded; the body says what' } },
        },
      },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'Prometheus text format' } } } },
      '/v1/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
      '/v1/me': {
        get: {
          summary: 'Who the bearer token speaks for',
          security: [{ bearer: [] }],
          responses: {
            200: { description: 'The user, their organisation and roles' },
            401: errorResponse('Missing, malformed, altered or expired token'),
            404: errorResponse('The token\'s user no longer exists'),
            429: errorResponse('Rate limit exceeded; see Retry-After'),
          },
        },
      },
    },
  };
}
