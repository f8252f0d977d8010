/**
 * Query strings (or the JSON query stored in a talent pool or saved search) → typed search
 * parameters. Every parameter is documented in the OpenAPI document from the same lists.
 */
import {
  BENEFICIARY_CATEGORIES, CANDIDATE_TYPES, CONTRACT_TYPES, EDUCATION_LEVELS, MOBILITIES, OPPORTUNITY_TYPES,
  REMOTE_OPTIONS, SENIORITIES, VERIFICATION_STATUSES,
} from '../db/models/enums.js';
import { CANDIDATE_FACETS, CANDIDATE_SORTS, type CandidateSearchParams } from '../search/candidate-query.js';
import { OPPORTUNITY_FACETS, OPPORTUNITY_SORTS, type OpportunitySearchParams } from '../search/opportunity-query.js';
import { QueryReader, type RawQuery } from './validate.js';

const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;
const LANGUAGE = /^[a-z]{2,3}(:(A1|A2|B1|B2|C1|C2))?$/;
const CURRENCY = /^[A-Z]{3}$/;
const PLACE = /^[^\u0000-\u001f]{1,100}$/;

function drop<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function readCandidateSearch(raw: RawQuery, options: { paging?: boolean } = { paging: true }): { params: CandidateSearchParams; cursor?: string } {
  const r = new QueryReader(raw);
  const near = r.point('near');
  const radiusKm = r.number('radius_km', { min: 1, max: 2000 });
  if (radiusKm !== undefined && !near) r.problem('radius_km', 'needs near=lat,lon');
  const sort = r.oneOf('sort', CANDIDATE_SORTS);
  if (sort === 'distance' && !near) r.problem('sort', 'distance needs near=lat,lon');
  const experienceMin = r.number('experience_min', { min: 0, max: 80, integer: true });
  const experienceMax = r.number('experience_max', { min: 0, max: 80, integer: true });
  if (experienceMin !== undefined && experienceMax !== undefined && experienceMin > experienceMax) r.problem('experience_min', 'must not exceed experience_max');
  const languages = r.list('languages', { pattern: LANGUAGE, patternHint: 'language codes, optionally with a CEFR level (fr:B2)', max: 10 })
    ?.map((entry) => {
      const [code, minLevel] = entry.split(':') as [string, string | undefined];
      return drop({ code, minLevel });
    });
  const params: CandidateSearchParams = drop({
    q: r.string('q', { max: 200 }),
    skills: r.list('skills', { pattern: SLUG, patternHint: 'skill slugs', max: 20 }),
    skillsMode: r.oneOf('skills_mode', ['any', 'all'] as const),
    near,
    radiusKm,
    country: r.list('country', { pattern: /^[A-Z]{2}$/, patternHint: 'ISO country codes (CM, NG)' }),
    region: r.list('region', { pattern: PLACE }),
    city: r.list('city', { pattern: PLACE }),
    educationMin: r.oneOf('education_min', EDUCATION_LEVELS),
    experienceMin,
    experienceMax,
    languages,
    noticeMaxDays: r.number('notice_max_days', { min: 0, max: 730, integer: true }),
    openToOpportunities: r.boolean('open_to_opportunities'),
    salaryMax: r.number('salary_max', { min: 0, max: 1e12 }),
    salaryCurrency: r.list('salary_currency', { pattern: CURRENCY, patternHint: 'ISO currency codes', max: 1 })?.[0],
    verification: r.list('verification', { allowed: VERIFICATION_STATUSES }),
    category: r.list('category', { allowed: BENEFICIARY_CATEGORIES }),
    candidateType: r.list('candidate_type', { allowed: CANDIDATE_TYPES }),
    mobility: r.list('mobility', { allowed: MOBILITIES }),
    willingToRelocate: r.boolean('willing_to_relocate'),
    completenessMin: r.number('completeness_min', { min: 0, max: 100, integer: true }),
    program: r.uuids('program'),
    cohort: r.uuids('cohort'),
    talentPool: r.uuids('talent_pool', 1)?.[0],
    sort,
    size: r.number('size', { min: 1, max: 100, integer: true }),
    facets: r.list('facets', { allowed: Object.keys(CANDIDATE_FACETS) }),
  });
  const cursor = options.paging ? r.string('cursor', { max: 2000 }) : undefined;
  r.done();
  return { params, cursor };
}

export function readOpportunitySearch(raw: RawQuery): { params: OpportunitySearchParams; cursor?: string } {
  const r = new QueryReader(raw);
  const near = r.point('near');
  const radiusKm = r.number('radius_km', { min: 1, max: 2000 });
  if (radiusKm !== undefined && !near) r.problem('radius_km', 'needs near=lat,lon');
  const sort = r.oneOf('sort', OPPORTUNITY_SORTS);
  if (sort === 'distance' && !near) r.problem('sort', 'distance needs near=lat,lon');
  const deadlineAfter = r.date('deadline_after');
  const deadlineBefore = r.date('deadline_before');
  if (deadlineAfter && deadlineBefore && deadlineAfter > deadlineBefore) r.problem('deadline_after', 'must not be later than deadline_before');
  const params: OpportunitySearchParams = drop({
    q: r.string('q', { max: 200 }),
    type: r.list('type', { allowed: OPPORTUNITY_TYPES }),
    sector: r.list('sector', { pattern: PLACE }),
    country: r.list('country', { pattern: /^[A-Z]{2}$/, patternHint: 'ISO country codes (CM, NG)' }),
    region: r.list('region', { pattern: PLACE }),
    city: r.list('city', { pattern: PLACE }),
    near,
    radiusKm,
    remote: r.oneOf('remote', ['include', 'only', 'exclude'] as const),
    salaryMin: r.number('salary_min', { min: 0, max: 1e12 }),
    education: r.oneOf('education', EDUCATION_LEVELS),
    deadlineAfter,
    deadlineBefore,
    contractType: r.list('contract_type', { allowed: CONTRACT_TYPES }),
    seniority: r.list('seniority', { allowed: SENIORITIES }),
    remoteOption: r.list('remote_option', { allowed: REMOTE_OPTIONS }),
    skills: r.list('skills', { pattern: SLUG, patternHint: 'skill slugs', max: 20 }),
    sort,
    size: r.number('size', { min: 1, max: 100, integer: true }),
    facets: r.list('facets', { allowed: Object.keys(OPPORTUNITY_FACETS) }),
  });
  const cursor = r.string('cursor', { max: 2000 });
  r.done();
  return { params, cursor };
}
