/**
 * Every family of constraint in the schema rejects a bad row: checks (score ranges,
 * completeness, ratings, CEFR), enums, uniqueness (one introduction per job and professional,
 * one metrics row per company/period, one platform_metrics row per day, idempotency keys),
 * foreign keys and not-null. Each case runs in its own rolled-back transaction.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { harness } from './harness.js';
import { inRolledBackTransaction, insertFixtures, sqlState } from './helpers.js';

type Fixtures = Awaited<ReturnType<typeof insertFixtures>>;

const CHECK = '23514';
const UNIQUE = '23505';
const FOREIGN_KEY = '23503';
const NOT_NULL = '23502';
const BAD_ENUM = '22P02';

interface Case {
  name: string;
  expected: string;
  /** A valid row first (so the case proves the constraint, not a typo), then the bad one. */
  good?: (trx: Knex.Transaction, f: Fixtures) => Promise<unknown>;
  bad: (trx: Knex.Transaction, f: Fixtures) => Promise<unknown>;
}

const intro = (f: Fixtures) => ({ opportunity_id: f.opportunityId, organization_id: f.organizationId, sent_by_user_id: f.hrUserId, candidate_id: f.candidateId, expires_at: new Date(Date.now() + 7 * 86_400_000) });
const metrics = (f: Fixtures) => ({ organization_id: f.organizationId, period_type: 'month', period_start: '2026-01-01', period_end: '2026-01-31' });
const recommendation = (f: Fixtures, score: number) => ({ candidate_id: f.candidateId, opportunity_id: f.opportunityId, match_score: score, model_version: 'v1' });

const CASES: Case[] = [
  { name: 'recommendation match_score above 1', expected: CHECK, good: (t, f) => t('recommendations').insert(recommendation(f, 0.9)), bad: (t, f) => t('recommendations').insert(recommendation(f, 1.5)) },
  { name: 'recommendation feedback_rating 6', expected: CHECK, bad: (t, f) => t('recommendations').insert({ ...recommendation(f, 0.5), feedback_rating: 6 }) },
  { name: 'candidate profile_completeness 101', expected: CHECK, bad: (t, f) => t('candidates').where({ id: f.candidateId }).update({ profile_completeness: 101 }) },
  { name: 'professional with under 5 years (theNexus)', expected: CHECK, bad: (t, f) => t('candidates').where({ id: f.candidateId }).update({ candidate_type: 'professional', category: null, years_experience: 3 }) },
  { name: 'category on a non-beneficiary', expected: CHECK, bad: (t, f) => t('candidates').where({ id: f.candidateId }).update({ candidate_type: 'job_seeker' }) },
  { name: 'salary min above max', expected: CHECK, bad: (t, f) => t('opportunities').where({ id: f.opportunityId }).update({ salary_min: 5000, salary_max: 100 }) },
  { name: 'session rating above 1', expected: CHECK, bad: async (t, f) => {
    const [program] = await t('programs').insert({ organization_id: f.organizationId, name: 'Language Café', program_type: 'language' }).returning('id');
    return t('sessions').insert({ session_type: 'language', program_id: program.id, participant_id: f.userId, scheduled_at: new Date(), rating: 1.2 });
  } },
  { name: 'outcome score below 0', expected: CHECK, bad: (t, f) => t('outcome_scores').insert({ text_id: f.userId, text_type: 'checkin_note', user_id: f.userId, dimension: 'confidence', score: -0.1, confidence: 0.8, model_version: 'q2q' }) },
  { name: 'value map deadweight above 1', expected: CHECK, bad: async (t, f) => {
    const [map] = await t('sroi_value_maps').insert({ organization_id: f.organizationId, version: 1, name: 'v1', currency: 'EUR', volunteer_hour_value: 30, valid_from: '2026-01-01' }).returning('id');
    return t('sroi_value_map_outcomes').insert({ value_map_id: map.id, outcome_key: 'employment', description: 'Job', indicator: 'Placements', financial_proxy: 1000, proxy_source: 'x', deadweight: 1.2, attribution: 0.1, displacement: 0, drop_off: 0.1, benefit_period_years: 2 });
  } },
  { name: 'learning progress 120%', expected: CHECK, bad: (t, f) => t('learning_progress').insert({ user_id: f.userId, provider: 'ecornell', course_id: 'c1', course_name: 'Excel', progress_percent: 120 }) },
  { name: 'volunteer-hours investment without hours', expected: CHECK, bad: (t, f) => t('investments').insert({ organization_id: f.organizationId, investment_type: 'volunteer_hours', invested_on: '2026-01-01' }) },
  { name: 'cohort metrics funnel that does not add up', expected: CHECK, bad: async (t, f) => {
    const [cohort] = await t('cohorts').insert({ institution_id: f.organizationId, name: 'Q1 Learnership', program_type: 'learnership' }).returning('id');
    return t('cohort_metrics').insert({ cohort_id: cohort.id, metric_date: '2026-01-01', enrolled: 10, waiting: 1, in_progress: 2, complete: 3 });
  } },
  { name: 'CEFR level D1', expected: BAD_ENUM, bad: (t, f) => t('candidate_languages').insert({ candidate_id: f.candidateId, language_code: 'fr', cefr_level: 'D1' }) },
  { name: 'unknown opportunity type', expected: BAD_ENUM, bad: (t, f) => t('opportunities').where({ id: f.opportunityId }).update({ type: 'GIG' }) },
  { name: 'second introduction for the same job and professional', expected: UNIQUE, good: (t, f) => t('introduction_requests').insert(intro(f)), bad: (t, f) => t('introduction_requests').insert(intro(f)) },
  { name: 'second metrics row for a company, period type and start', expected: UNIQUE, good: (t, f) => t('metrics_company_period').insert(metrics(f)), bad: (t, f) => t('metrics_company_period').insert(metrics(f)) },
  { name: 'second platform_metrics row for a day', expected: UNIQUE, good: (t) => t('platform_metrics').insert({ metric_date: '2026-01-01' }), bad: (t) => t('platform_metrics').insert({ metric_date: '2026-01-01' }) },
  { name: 'reused idempotency key', expected: UNIQUE, good: (t, f) => t('api_request_deduplication').insert({ idempotency_key: 'k-1', user_id: f.userId, endpoint: '/v1/x', method: 'POST', expires_at: new Date() }), bad: (t, f) => t('api_request_deduplication').insert({ idempotency_key: 'k-1', user_id: f.userId, endpoint: '/v1/x', method: 'POST', expires_at: new Date() }) },
  { name: 'event processed twice by one consumer', expected: UNIQUE, good: (t) => t('event_deduplication').insert({ event_id: 'e1', event_type: 'x', consumer_id: 'c', success: true }), bad: (t) => t('event_deduplication').insert({ event_id: 'e1', event_type: 'x', consumer_id: 'c', success: true }) },
  { name: 'email differing only in case', expected: UNIQUE, good: (t) => t('users').insert({ email: 'Same@Example.org', first_name: 'A', last_name: 'B', user_type: 'EXPERT' }), bad: (t) => t('users').insert({ email: 'same@example.org', first_name: 'A', last_name: 'B', user_type: 'EXPERT' }) },
  { name: 'candidate skill pointing at no skill', expected: FOREIGN_KEY, bad: (t, f) => t('candidate_skills').insert({ candidate_id: f.candidateId, skill_id: '00000000-0000-4000-8000-000000000000' }) },
  { name: 'application for a missing opportunity', expected: FOREIGN_KEY, bad: (t, f) => t('applications').insert({ candidate_id: f.candidateId, opportunity_id: '00000000-0000-4000-8000-000000000000' }) },
  { name: 'opportunity without a title', expected: NOT_NULL, bad: (t, f) => t('opportunities').insert({ type: 'INTERNSHIP', description: 'x', organization_id: f.organizationId }) },
  { name: 'favorite with two targets', expected: CHECK, bad: (t, f) => t('favorites').insert({ user_id: f.userId, opportunity_id: f.opportunityId, candidate_id: f.candidateId }) },
];

describe('constraints reject bad rows', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      await inRolledBackTransaction(harness().db, async (trx) => {
        const fixtures = await insertFixtures(trx);
        if (c.good) expect(await sqlState(c.good(trx, fixtures)), 'the valid row should be accepted').to.equal(undefined);
        await trx.raw('SAVEPOINT bad_row');
        expect(await sqlState(c.bad(trx, fixtures))).to.equal(c.expected);
        await trx.raw('ROLLBACK TO SAVEPOINT bad_row');
      });
    });
  }
});
