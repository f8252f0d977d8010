/** The reporting endpoints' part of the OpenAPI document. */
import { PERIOD_TYPES } from '../domain/periods.js';
import { OUTCOME_KEYS } from '../db/outcome-events.js';

const q = (name: string, schema: Record<string, unknown>, description: string, required = false) => ({ name, in: 'query', required, schema, description });
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const table = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } } } });
const period = [q('period_type', { type: 'string', enum: PERIOD_TYPES }, 'month (default), quarter or year'), q('period_start', { type: 'string', format: 'date' }, 'First day of the period (default: the current one)')];
const range = [q('from', { type: 'string', format: 'date' }, 'Start (inclusive; default a year before to)'), q('to', { type: 'string', format: 'date' }, 'End (exclusive; default the start of next month)')];
const format = q('format', { type: 'string', enum: ['json', 'csv'] }, 'csv as an alternative to Accept: text/csv');
const common = { 400: err('Invalid parameters'), 401: err('No valid token'), 403: err('Your role may not read this report'), 404: err('Not an organisation or cohort visible to you'), 429: err('Rate limit exceeded') };
const secured = { security: [{ bearer: [] }] };

const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });

export const REPORT_PATHS = {
  '/v1/reports/companies': { get: { ...secured, summary: 'The organisations whose reports the caller may open: every one with metrics for administrators, their own for a funder (the dashboard\'s picker)', responses: { 200: json('rows: id, name, type'), ...common } } },
  '/v1/reports/cohorts': { get: { ...secured, summary: 'The cohorts whose metrics the caller may open: their institution\'s or sponsor\'s, or all for administrators', responses: { 200: json('rows: id, name, program_type, state'), ...common } } },
  '/v1/reports/companies/{id}/metrics': { get: { ...secured, summary: 'A company\'s metrics for a period, the previous period and the change (funder of the company, administrator)', parameters: [id, ...period, format], responses: { 200: table('current, previous, change (outcome averages null, averagesHidden true, for fewer than 5 participants)'), ...common } } },
  '/v1/reports/companies/{id}/metrics/series': { get: { ...secured, summary: 'A company\'s metrics per period over a range', parameters: [id, period[0], ...range, format], responses: { 200: table('rows'), ...common } } },
  '/v1/reports/companies/{id}/sroi': { get: { ...secured, summary: 'SROI for a period: ratio, range, investment, value map, outcomes with parameters and proxy sources, sensitivity grid, VIS', parameters: [id, ...period, format], responses: { 200: table('SROI explained'), ...common } } },
  '/v1/reports/companies/{id}/evidence': { get: { ...secured, summary: 'The records behind one outcome quantity (paged; participants as pseudonyms)', parameters: [id, ...period, q('outcome', { type: 'string', enum: OUTCOME_KEYS }, 'Outcome key', true), q('size', { type: 'integer', minimum: 1, maximum: 500 }, 'Rows per page (default 50)'), q('cursor', { type: 'string' }, 'nextCursor of the previous page'), format], responses: { 200: table('rows, nextCursor'), ...common } } },
  '/v1/reports/companies/{id}/skill-gaps': { get: { ...secured, summary: 'Skill gaps summed over the company\'s programme participants (gaps shared by fewer than 5 people are not shown)', parameters: [id, q('size', { type: 'integer', minimum: 1, maximum: 50 }, 'How many'), format], responses: { 200: table('rows'), ...common } } },
  '/v1/reports/platform': { get: { ...secured, summary: 'Daily platform metrics (administrators)', parameters: [...range, format], responses: { 200: table('rows'), ...common } } },
  '/v1/reports/cohorts/{id}': { get: { ...secured, summary: 'Daily cohort metrics with small groups suppressed (the cohort\'s institution or sponsor, administrators)', parameters: [id, ...range, format], responses: { 200: table('rows'), ...common } } },
  '/v1/reports/funnel': { get: { ...secured, summary: 'Hiring funnel: companies reaching each stage (administrators) or the caller\'s organisation\'s applications (funder, recruiter)', parameters: [...range, format], responses: { 200: table('stages'), ...common } } },
};
