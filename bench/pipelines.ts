/**
 * `npm run bench -- pipelines [--quick] [--companies N] [--months M] [--reuse]`: the company-metrics
 * pipeline and the report endpoint that reads its output, on the local Postgres.
 *
 * - Builds a CSR programme world inside Postgres (set-based INSERT … SELECT over
 *   generate_series, deterministic: every value is a hash of its row's position) in a fresh
 *   database: N csr_company organisations (default 1,000; --quick 50) over M months ending with
 *   the current month (default 24), each with four programmes, an active EUR value map,
 *   300 participants, 30 volunteers and a funder analyst; weekly language and mentorship
 *   sessions, fortnightly buddy check-ins, outcome scores, courses, monthly investments and
 *   placements. At the defaults that is more than 10 million activity rows.
 * - full_rebuild_s: `runJob(company-metrics, { mode: 'full' })` over all of it.
 * - incremental_s: one day of new data (today: sessions, scores, check-ins, investments in
 *   the companies active today, ~1/24 of a month's volume), then `{ mode: 'incremental' }`.
 *   An untimed incremental run first brings the job to the state the hourly schedule keeps
 *   it in (after a full run it has nothing left to do).
 * - report_p95_ms: 500 requests of `GET /v1/reports/companies/:id/metrics` (a random company
 *   and month each, the company's funder token) at concurrency 4 against `meridian api` run as
 *   its own process, timed client-side on keep-alive HTTP, after 20 untimed warm-up requests;
 *   null while the route does not exist yet.
 * - --reuse keeps the generated world (database meridian_bench_pipelines_world) and starts
 *   later runs of the same size on the same day from a copy of it, skipping generation.
 * Prints one JSON line: companies, activity rows, the three figures and the machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'node:http';
import pg from 'pg';
import type { Knex } from 'knex';
import { loadConfig, PROJECT_ROOT, type Config } from '../src/config.js';
import { createLogger, type Logger } from '../src/log.js';
import { servicesUp } from '../src/local/services.js';
import { createDb } from '../src/db/knex.js';
import { Random } from '../src/domain/random.js';
import { signToken } from '../src/api/tokens.js';
import { PROGRAM_DESCRIPTIONS, PROGRAM_NAMES, VALUE_MAP_OUTCOMES } from '../src/db/seed/content.js';
import { COURSES } from '../src/db/seed/data/text.js';
import { FIRST_NAMES, LAST_NAMES } from '../src/db/seed/data/names.js';
import { runJob, type RunMode } from '../pipelines/runner.js';
import { companyMetricsJob } from '../pipelines/jobs/company-metrics.js';
import { machine } from './machine.js';
import { copiedDatabase, databaseExists, freshDatabase, withDatabase, type BenchDatabase } from './database.js';

const phase = (name: string) => process.stderr.write(`pipelines: ${new Date().toISOString().slice(11, 19)} ${name}\n`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const seconds = (since: number) => (performance.now() - since) / 1000;

const SECRET = 'bench-pipelines-secret-0123456789-0123456789';
const PARTICIPANTS_PER_COMPANY = 300;
const VOLUNTEERS_PER_COMPANY = 30;
const REPORT_REQUESTS = 500;
const REPORT_WARMUP = 20;
const REPORT_CONCURRENCY = 4;
/** The tables whose rows are programme activity (what activity_rows counts). */
const ACTIVITY_TABLES = ['sessions', 'outcome_scores', 'buddy_matches', 'buddy_checkins', 'learning_progress', 'investments', 'placements'];

interface Plan {
  companies: number;
  months: number;
  /** First day of the first month, and today (YYYY-MM-DD; the loading session runs in UTC). */
  start: string;
  today: string;
}

// ------------------------------------------------------------------ SQL building blocks
// Every number interpolated below is a validated integer and every literal is built here, so
// the statements can be read as written; text lists go as bind parameters.

/** A deterministic pseudo-random float in [0, 1) from any SQL expression and a salt. */
const rnd = (key: string, salt: number) => `((hashtextextended((${key})::text, ${salt}) & 2147483647)::float8 / 2147483648)`;
/** A deterministic id for a thing of a kind, so rows refer to each other without lookups. */
const uid = (kind: string, key: string) => `md5('${kind}:' || (${key}))::uuid`;
const clamp01 = (expr: string) => `least(1, greatest(0, ${expr}))`;
/** Time since enrolment (of the row aliased `e`) as a share of the 200 days over which outcomes rise. */
const progress = (at: string) => `least(1, extract(epoch FROM ${at} - e.enrolled_at)::float8 / (200 * 86400))`;
/**
 * created_at / updated_at of generated rows: the history is stamped with its event times (as
 * if recorded when it happened, so an incremental run does not see years of data as new); the
 * new day with the insert time, as live writes are.
 */
type Stamp = 'event' | 'insert';
const stampOf = (stamp: Stamp, eventTime: string) => (stamp === 'event' ? eventTime : 'now()');
const moodOf = (wellbeing: string) => `(CASE WHEN ${wellbeing} >= 0.8 THEN 'great' WHEN ${wellbeing} >= 0.6 THEN 'good' WHEN ${wellbeing} >= 0.4 THEN 'okay' WHEN ${wellbeing} >= 0.2 THEN 'struggling' ELSE 'difficult' END)::mood_enum`;

async function step(client: pg.Client, name: string, sql: string, params: unknown[] = []): Promise<number> {
  const started = performance.now();
  const result = await client.query(sql, params);
  phase(`  ${name}: ${(result.rowCount ?? 0).toLocaleString()} rows in ${round(seconds(started))} s`);
  return result.rowCount ?? 0;
}

// ------------------------------------------------------------------ the world

/** Companies, their people (participants, volunteers, a funder analyst), programmes and value maps. */
async function createCompanies(client: pg.Client, plan: Plan): Promise<void> {
  const { companies: C, start } = plan;
  const P = PARTICIPANTS_PER_COMPANY;
  const V = VOLUNTEERS_PER_COMPANY;
  await step(client, 'organizations', `
    INSERT INTO organizations (id, name, type, industry, company_size, country, description, verified, verification_status, status, created_at, updated_at)
    SELECT ${uid('org', 'c')}, 'Bench CSR company ' || lpad(c::text, 5, '0'), 'csr_company', 'Financial services', '500+',
      (ARRAY['DE', 'FR', 'NO', 'NL', 'BE'])[1 + floor(${rnd('c', 1)} * 5)::int], 'Funds language, mentoring, buddy and upskilling programmes for newcomers.',
      true, 'verified', 'active', '${start}'::timestamptz - interval '1 year', '${start}'::timestamptz - interval '1 year'
    FROM generate_series(1, ${C}) c`);
  const people = (kind: string, count: number, userType: string) => `
    SELECT ${uid(kind, 'i')} AS id, '${kind}.' || i || '@bench.example.org' AS email,
      ($1::text[])[1 + floor(${rnd(`'${kind}' || i`, 2)} * array_length($1::text[], 1))::int] AS first_name,
      ($2::text[])[1 + floor(${rnd(`'${kind}' || i`, 3)} * array_length($2::text[], 1))::int] AS last_name,
      '${userType}'::user_type_enum AS user_type
    FROM generate_series(1, ${count}) i`;
  await step(client, 'users', `
    INSERT INTO users (id, email, first_name, last_name, user_type, status, email_verified, created_at, updated_at)
    SELECT id, email, first_name, last_name, user_type, 'ACTIVE', true, '${start}'::timestamptz - interval '1 year', '${start}'::timestamptz - interval '1 year'
    FROM (${people('participant', C * P, 'PARTICIPANT')} UNION ALL ${people('volunteer', C * V, 'VOLUNTEER')} UNION ALL ${people('funder', C, 'COMPANY_USER')}) u`,
  [FIRST_NAMES.EU, LAST_NAMES.EU]);
  // The funder's membership is what lets their token read the company's reports.
  await step(client, 'organization_members', `
    INSERT INTO organization_members (organization_id, user_id, role, job_title, can_search, can_send_introductions, can_create_roles, status)
    SELECT ${uid('org', 'c')}, ${uid('funder', 'c')}, 'analyst', 'Impact Analyst', false, false, false, 'active'
    FROM generate_series(1, ${C}) c`);
  await step(client, 'programs', `
    INSERT INTO programs (id, organization_id, name, program_type, description, country, start_date, status, created_at, updated_at)
    SELECT ${uid('program', "c || ':' || t.type")}, ${uid('org', 'c')}, t.name, t.type::program_type_enum, t.description, 'DE',
      ('${start}'::date - 60), 'active', '${start}'::timestamptz - interval '90 days', '${start}'::timestamptz - interval '90 days'
    FROM generate_series(1, ${C}) c, unnest($1::text[], $2::text[], $3::text[]) t(type, name, description)`,
  [Object.keys(PROGRAM_NAMES), Object.values(PROGRAM_NAMES), Object.keys(PROGRAM_NAMES).map((type) => PROGRAM_DESCRIPTIONS[type])]);
  // One active organisation-wide map each (what company-metrics reads), in force long before the data.
  await step(client, 'sroi_value_maps', `
    INSERT INTO sroi_value_maps (id, organization_id, program_id, version, name, currency, discount_rate, volunteer_hour_value, status, valid_from, notes, created_at, updated_at)
    SELECT ${uid('value_map', 'c')}, ${uid('org', 'c')}, NULL, 1, 'Impact value map v1', 'EUR', 0.035, 25, 'active', ('${start}'::date - 365),
      'Default proxies', '${start}'::timestamptz - interval '1 year', '${start}'::timestamptz - interval '1 year'
    FROM generate_series(1, ${C}) c`);
  await step(client, 'sroi_value_map_outcomes', `
    INSERT INTO sroi_value_map_outcomes (id, value_map_id, outcome_key, description, indicator, financial_proxy, proxy_source, deadweight, attribution, displacement, drop_off, benefit_period_years, created_at, updated_at)
    SELECT ${uid('value_map_outcome', "c || ':' || o.outcome_key")}, ${uid('value_map', 'c')}, o.outcome_key, o.description, o.indicator, o.financial_proxy, o.proxy_source,
      o.deadweight, o.attribution, o.displacement, o.drop_off, o.benefit_period_years, '${start}'::timestamptz - interval '1 year', '${start}'::timestamptz - interval '1 year'
    FROM generate_series(1, ${C}) c, jsonb_to_recordset($1::jsonb) o(outcome_key text, description text, indicator text, financial_proxy numeric, proxy_source text,
      deadweight numeric, attribution numeric, displacement numeric, drop_off numeric, benefit_period_years int)`,
  [JSON.stringify(VALUE_MAP_OUTCOMES.map((o) => ({
    outcome_key: o.key, description: o.description, indicator: o.indicator, financial_proxy: o.proxyEur, proxy_source: o.source,
    deadweight: o.deadweight, attribution: o.attribution, displacement: o.displacement, drop_off: o.dropOff, benefit_period_years: o.years,
  })))]);
}

/**
 * One enrolment per participant, in one of the company's programmes, starting in a random
 * month of the range and lasting 4–12 months (10% drop out after 1–3), with the traits that
 * shape their activity: their usual volunteer, outcome baseline and gain, starting CEFR level
 * and pace (40% make no language progress). Kept as a temporary table the other steps read
 * (and rebuilt, identical, when a generated world is reused: the day's new data reads it).
 */
async function planEnrollments(client: pg.Client, plan: Plan): Promise<void> {
  const { companies: C, months: M, start, today } = plan;
  const P = PARTICIPANTS_PER_COMPANY;
  const V = VOLUNTEERS_PER_COMPANY;
  await step(client, 'enrolment plan', `
    CREATE TEMP TABLE bench_enrollments AS
    SELECT u, c, type, ${uid('participant', 'u')} AS user_id, ${uid('program', "c || ':' || type")} AS program_id, enrolled_at, least(ends_at, '${today}'::timestamptz) AS active_until,
      CASE WHEN ends_at > '${today}'::timestamptz THEN 'active' WHEN dropped THEN 'dropped' ELSE 'completed' END::program_enrollment_status_enum AS status,
      CASE WHEN ends_at <= '${today}'::timestamptz THEN ends_at END AS completed_at,
      (c - 1) * ${V} + 1 + floor(${rnd('u', 14)} * ${V})::int AS volunteer,
      0.25 + ${rnd('u', 15)} * 0.25 AS base,
      CASE WHEN ${rnd('u', 16)} < 0.25 THEN 0.02 ELSE 0.1 + ${rnd('u', 17)} * 0.3 END AS gain,
      floor(${rnd('u', 18)} * 3)::int AS lang_start,
      CASE WHEN ${rnd('u', 19)} < 0.4 THEN 0 ELSE 1 / (10 + ${rnd('u', 20)} * 16) END AS lang_rate
    FROM (
      SELECT u, c, type, enrolled_at, dropped, enrolled_at + (CASE WHEN dropped THEN 1 + floor(r_length * 3) ELSE 4 + floor(r_length * 9) END) * interval '1 month' AS ends_at
      FROM (
        SELECT u, (u - 1) / ${P} + 1 AS c,
          CASE WHEN ${rnd('u', 10)} < 0.35 THEN 'language' WHEN ${rnd('u', 10)} < 0.6 THEN 'mentorship' WHEN ${rnd('u', 10)} < 0.85 THEN 'buddy' ELSE 'upskilling' END AS type,
          '${start}'::timestamptz + floor(${rnd('u', 11)} * ${M - 1}) * interval '1 month' + floor(${rnd('u', 12)} * 27) * interval '1 day' + interval '9 hours' AS enrolled_at,
          ${rnd('u', 13)} < 0.1 AS dropped, ${rnd('u', 21)} AS r_length
        FROM generate_series(1, ${C * P}) u
      ) drawn
    ) ended`);
  await client.query('CREATE INDEX ON bench_enrollments (user_id)');
  await client.query('ANALYZE bench_enrollments');
}

/** The enrolments themselves, from the plan. */
async function createEnrollments(client: pg.Client, plan: Plan): Promise<void> {
  await planEnrollments(client, plan);
  await step(client, 'program_enrollments', `
    INSERT INTO program_enrollments (id, user_id, program_id, program_type, enrolled_at, status, completed_at, created_at, updated_at)
    SELECT ${uid('enrollment', 'u')}, user_id, program_id, type::program_type_enum, enrolled_at, status, completed_at, enrolled_at, coalesce(completed_at, enrolled_at)
    FROM bench_enrollments`);
}

/**
 * Sessions from `occurrences` (enrolment columns plus `k`, the week since enrolment, and `at`):
 * 5% no-shows, ratings on mentorship and half the language sessions (1–5 stars, stored /5
 * because sessions.rating is CHECKed to 0–1), CEFR level rising by the participant's pace.
 */
const sessionsSql = (occurrences: string, stamp: Stamp) => {
  const key = `o.u || ':' || o.k`;
  return `
    INSERT INTO sessions (id, session_type, program_id, participant_id, volunteer_id, scheduled_at, completed_at, duration_minutes, rating, language_level, topics, created_at, updated_at)
    SELECT ${uid('session', key)}, o.type::session_type_enum, o.program_id, o.user_id,
      ${uid('volunteer', `CASE WHEN ${rnd(key, 30)} < 0.8 THEN o.volunteer ELSE (o.c - 1) * ${VOLUNTEERS_PER_COMPANY} + 1 + floor(${rnd(key, 31)} * ${VOLUNTEERS_PER_COMPANY})::int END`)},
      o.at - minutes * interval '1 minute', CASE WHEN held THEN o.at END, minutes,
      CASE WHEN held AND (o.type = 'mentorship' OR ${rnd(key, 32)} < 0.5) THEN
        (CASE WHEN r_stars < 0.03 THEN 1 WHEN r_stars < 0.1 THEN 2 WHEN r_stars < 0.25 THEN 3 WHEN r_stars < 0.6 THEN 4 ELSE 5 END) / 5.0 END,
      CASE WHEN o.type = 'language' THEN (enum_range(NULL::cefr_level_enum))[1 + least(5, o.lang_start + floor(o.k * o.lang_rate))::int] END,
      CASE o.type WHEN 'language' THEN '["daily conversation", "job interview practice"]' ELSE '["cv review", "networking"]' END::jsonb,
      ${stampOf(stamp, 'o.at')}, ${stampOf(stamp, 'o.at')}
    FROM (
      SELECT o.*, ${rnd(key, 33)} >= 0.05 AS held, (ARRAY[30, 45, 60, 90])[1 + floor(${rnd(key, 34)} * 4)::int] AS minutes, ${rnd(key, 35)} AS r_stars
      FROM (${occurrences}) o
    ) o`;
};

/** Two outcome scores for half the held sessions in `where`, rising from the participant's baseline. */
const sessionScoresSql = (where: string, stamp: Stamp) => `
  INSERT INTO outcome_scores (id, text_id, text_type, user_id, program_id, dimension, score, confidence, model_version, scored_at, created_at)
  SELECT ${uid('score', "s.id || ':' || d.dimension")}, s.id, 'kintell_feedback', s.participant_id, s.program_id, d.dimension::outcome_dimension_enum,
    round(${clamp01(`e.base + d.offset + e.gain * ${progress('s.completed_at')} + (${rnd("s.id || d.dimension", 40)} - 0.5) * 0.16`)}::numeric, 3),
    round((0.6 + ${rnd('s.id', 41)} * 0.38)::numeric, 3), 'q2q-v2', s.completed_at, ${stampOf(stamp, 's.completed_at')}
  FROM sessions s JOIN bench_enrollments e ON e.user_id = s.participant_id
  CROSS JOIN LATERAL (VALUES
    (CASE s.session_type WHEN 'language' THEN 'lang_level_proxy' ELSE 'job_readiness' END, CASE s.session_type WHEN 'language' THEN e.lang_start * 0.08 - 0.05 ELSE 0 END),
    (CASE s.session_type WHEN 'language' THEN 'belonging' ELSE 'well_being' END, 0.05)) d(dimension, "offset")
  WHERE s.completed_at IS NOT NULL AND ${rnd('s.id', 42)} < 0.5 AND ${where}`;

/** Buddy check-ins from `occurrences` (enrolment columns plus `k`, the fortnight, and `at`); moods follow wellbeing up. */
const checkinsSql = (occurrences: string, stamp: Stamp) => `
  INSERT INTO buddy_checkins (id, match_id, checkin_date, mood, created_at)
  SELECT ${uid('checkin', "e.u || ':' || e.k")}, ${uid('match', 'e.u')}, e.at,
    ${moodOf(`(e.base + 0.1 + e.gain * ${progress('e.at')} + (${rnd("e.u || ':' || e.k", 50)} - 0.5) * 0.5)`)}, ${stampOf(stamp, 'e.at')}
  FROM (${occurrences}) e`;

/** Well-being and belonging scores for half the check-ins in `where`. */
const checkinScoresSql = (where: string, stamp: Stamp) => `
  INSERT INTO outcome_scores (id, text_id, text_type, user_id, program_id, dimension, score, confidence, model_version, scored_at, created_at)
  SELECT ${uid('score', "b.id || ':' || d.dimension")}, b.id, 'checkin_note', e.user_id, e.program_id, d.dimension::outcome_dimension_enum,
    round(${clamp01(`e.base + d.offset + e.gain * ${progress('b.checkin_date')} + (${rnd("b.id || d.dimension", 51)} - 0.5) * 0.16`)}::numeric, 3),
    round((0.6 + ${rnd('b.id', 52)} * 0.38)::numeric, 3), 'q2q-v2', b.checkin_date, ${stampOf(stamp, 'b.checkin_date')}
  FROM buddy_checkins b JOIN buddy_matches m ON m.id = b.match_id JOIN bench_enrollments e ON e.user_id = m.participant_id
  CROSS JOIN LATERAL (VALUES ('well_being', 0.1), ('belonging', 0.05)) d(dimension, "offset")
  WHERE ${rnd('b.id', 53)} < 0.5 AND ${where}`;

/** Investments from `occurrences` (c, type, kind, invested_on, key): grants, volunteer hours (15% without an hourly value), in-kind. */
const investmentsSql = (occurrences: string, stamp: Stamp) => `
  INSERT INTO investments (id, organization_id, program_id, investment_type, amount, currency, hours, hourly_value, description, invested_on, created_at, updated_at)
  SELECT ${uid('investment', 'i.key')}, ${uid('org', 'i.c')}, ${uid('program', "i.c || ':' || i.type")}, i.kind::investment_type_enum,
    CASE i.kind WHEN 'cash' THEN round((1500 + ${rnd('i.key', 60)} * 7500)::numeric, -1) WHEN 'in_kind' THEN round((500 + ${rnd('i.key', 60)} * 4500)::numeric, -1) END,
    CASE WHEN i.kind <> 'volunteer_hours' THEN 'EUR' END,
    CASE WHEN i.kind = 'volunteer_hours' THEN 20 + floor(${rnd('i.key', 61)} * 140) END,
    CASE WHEN i.kind = 'volunteer_hours' AND ${rnd('i.key', 62)} >= 0.15 THEN 25 END,
    CASE i.kind WHEN 'cash' THEN 'Programme delivery grant' WHEN 'in_kind' THEN 'Laptops, venue and catering' ELSE 'Employee volunteering hours' END,
    i.invested_on, ${stampOf(stamp, 'i.invested_on')}, ${stampOf(stamp, 'i.invested_on')}
  FROM (${occurrences}) i`;

/** The activity of every enrolment from its start to its end (or yesterday). */
async function createActivity(client: pg.Client, plan: Plan): Promise<void> {
  const { companies: C, months: M, start, today } = plan;
  await step(client, 'sessions', sessionsSql(`
    SELECT e.*, k, e.enrolled_at + k * interval '7 days' + floor(${rnd("e.u || ':' || k", 36)} * 48) * interval '1 hour' AS at
    FROM bench_enrollments e CROSS JOIN LATERAL generate_series(0, floor(extract(epoch FROM e.active_until - e.enrolled_at) / 604800)::int - 1) k
    WHERE e.type IN ('language', 'mentorship')`, 'event'));
  await step(client, 'outcome_scores (sessions)', sessionScoresSql('true', 'event'));
  await step(client, 'buddy_matches', `
    INSERT INTO buddy_matches (id, program_id, participant_id, buddy_id, matched_at, status, ended_at, created_at, updated_at)
    SELECT ${uid('match', 'u')}, program_id, user_id, ${uid('volunteer', 'volunteer')}, enrolled_at,
      CASE WHEN status = 'active' THEN 'active' ELSE 'ended' END::buddy_match_status_enum, completed_at, enrolled_at, coalesce(completed_at, enrolled_at)
    FROM bench_enrollments WHERE type = 'buddy'`);
  await step(client, 'buddy_checkins', checkinsSql(`
    SELECT e.*, k, e.enrolled_at + k * interval '14 days' + floor(${rnd("e.u || ':' || k", 54)} * 96) * interval '1 hour' AS at
    FROM bench_enrollments e CROSS JOIN LATERAL generate_series(0, floor(extract(epoch FROM e.active_until - e.enrolled_at) / 1209600)::int - 1) k
    WHERE e.type = 'buddy'`, 'event'));
  await step(client, 'outcome_scores (check-ins)', checkinScoresSql('true', 'event'));
  // 1–4 courses one after another (each a distinct course, as the unique key requires); 85%
  // of those finished within the enrolment are completed, 70% of them with a credential.
  await step(client, 'learning_progress', `
    INSERT INTO learning_progress (id, user_id, program_id, provider, course_id, course_name, status, progress_percent, started_at, completed_at, credential_ref, created_at, updated_at)
    SELECT ${uid('learning', "u || ':' || k")}, user_id, program_id, ($1::text[])[course], ($2::text[])[course], ($3::text[])[course], status::learning_status_enum,
      CASE status WHEN 'completed' THEN 100 WHEN 'dropped' THEN 10 + floor(${rnd("u || ':' || k", 70)} * 60) ELSE greatest(1, least(99, floor(100 * share))) END,
      started_at, CASE WHEN status = 'completed' THEN finishes_at END,
      CASE WHEN status = 'completed' AND ${rnd("u || ':' || k", 71)} < 0.7 THEN 'cred-' || ($2::text[])[course] || '-' || u END,
      started_at, CASE WHEN status = 'completed' THEN finishes_at ELSE started_at END
    FROM (
      SELECT *, CASE WHEN finishes_at <= active_until THEN (CASE WHEN ${rnd("u || ':' || k", 72)} < 0.85 THEN 'completed' ELSE 'dropped' END)
        WHEN enrolment_status = 'active' THEN 'in_progress' ELSE 'dropped' END AS status,
        extract(epoch FROM active_until - started_at) / extract(epoch FROM finishes_at - started_at) AS share
      FROM (
        SELECT e.u, e.user_id, e.program_id, e.status AS enrolment_status, e.active_until, k,
          1 + (floor(${rnd('e.u', 73)} * array_length($1::text[], 1))::int + k) % array_length($1::text[], 1) AS course,
          e.enrolled_at + k * interval '42 days' AS started_at,
          e.enrolled_at + k * interval '42 days' + (28 + floor(${rnd("e.u || ':' || k", 74)} * 56)) * interval '1 day' AS finishes_at
        FROM bench_enrollments e CROSS JOIN generate_series(0, 3) k
        WHERE e.type = 'upskilling' AND k < 1 + floor(${rnd('e.u', 75)} * 4) AND e.enrolled_at + k * interval '42 days' < e.active_until
      ) courses
    ) judged`, [COURSES.map((c) => c.provider), COURSES.map((c) => c.courseId), COURSES.map((c) => c.name)]);
  // Monthly grants and volunteer hours per programme, in-kind every quarter; none dated today or later.
  await step(client, 'investments', investmentsSql(`
    SELECT * FROM (
      SELECT c, type, kind, key, ('${start}'::date + m * interval '1 month' + floor(${rnd('key', 63)} * 27) * interval '1 day')::date AS invested_on
      FROM generate_series(1, ${C}) c, unnest(ARRAY['buddy', 'language', 'mentorship', 'upskilling']) type, generate_series(0, ${M - 1}) m,
        unnest(ARRAY['cash', 'volunteer_hours', 'in_kind']) kind, LATERAL (SELECT c || ':' || type || ':' || m || ':' || kind AS key) k
      WHERE kind <> 'in_kind' OR m % 3 = 0
    ) planned WHERE invested_on < '${today}'::date`, 'event'));
  await createPlacements(client, plan);
}

/**
 * Placements need the hiring chain: a candidate profile for the participant, one of the
 * company's three openings, a hired application. Mentoring places the most people; every
 * placement starts 3–8 months after enrolment (so it counts as the programme's outcome).
 */
async function createPlacements(client: pg.Client, plan: Plan): Promise<void> {
  const { companies: C, start, today } = plan;
  await client.query(`
    CREATE TEMP TABLE bench_placed AS
    SELECT u, c, user_id, 1 + floor(${rnd('u', 80)} * 3)::int AS opening, start_date FROM (
      SELECT u, c, user_id, type, (enrolled_at + (3 + floor(${rnd('u', 81)} * 6)) * interval '1 month')::date AS start_date FROM bench_enrollments
    ) e
    WHERE ${rnd('u', 82)} < CASE type WHEN 'mentorship' THEN 0.2 WHEN 'upskilling' THEN 0.1 WHEN 'language' THEN 0.05 ELSE 0.03 END
      AND start_date < '${today}'::date`);
  await step(client, 'candidates', `
    INSERT INTO candidates (id, user_id, candidate_type, education_level, years_experience, headline, open_to_opportunities, created_at, updated_at)
    SELECT ${uid('candidate', 'u')}, user_id, 'participant', 'SECONDARY', floor(${rnd('u', 83)} * 10)::int, 'Programme participant',
      true, start_date - interval '60 days', start_date - interval '60 days'
    FROM bench_placed`);
  await step(client, 'opportunities', `
    INSERT INTO opportunities (id, type, title, description, organization_id, remote_option, contract_type, status, published_at, created_at, updated_at)
    SELECT ${uid('opportunity', "c || ':' || j")}, 'PERMANENT_EMPLOYMENT', (ARRAY['Customer service agent', 'Junior data analyst', 'Warehouse coordinator'])[j],
      'Entry-level role offered to programme participants.', ${uid('org', 'c')}, 'on_site', 'full_time', 'filled',
      '${start}'::timestamptz, '${start}'::timestamptz, '${start}'::timestamptz
    FROM generate_series(1, ${C}) c, generate_series(1, 3) j`);
  await step(client, 'applications', `
    INSERT INTO applications (id, candidate_id, opportunity_id, status, submitted_at, created_at, updated_at)
    SELECT ${uid('application', 'u')}, ${uid('candidate', 'u')}, ${uid('opportunity', "c || ':' || opening")}, 'HIRED',
      start_date - interval '30 days', start_date - interval '30 days', start_date - interval '30 days'
    FROM bench_placed`);
  await step(client, 'placements', `
    INSERT INTO placements (id, application_id, candidate_id, opportunity_id, organization_id, start_date, salary, currency, created_at, updated_at)
    SELECT ${uid('placement', 'u')}, ${uid('application', 'u')}, ${uid('candidate', 'u')}, ${uid('opportunity', "c || ':' || opening")}, ${uid('org', 'c')},
      start_date, round((24000 + ${rnd('u', 84)} * 16000)::numeric, -2), 'EUR', start_date, start_date
    FROM bench_placed`);
}

async function countActivity(client: pg.Client): Promise<number> {
  const { rows } = await client.query(`SELECT ${ACTIVITY_TABLES.map((t) => `(SELECT count(*) FROM ${t})`).join(' + ')} AS n`);
  return Number(rows[0].n);
}

/** The whole world, then statistics (the planner sees the tables as they will be queried). */
async function generate(client: pg.Client, plan: Plan): Promise<void> {
  await createCompanies(client, plan);
  await createEnrollments(client, plan);
  await createActivity(client, plan);
  const started = performance.now();
  await client.query('ANALYZE');
  phase(`  analyze: ${round(seconds(started))} s`);
}

/**
 * One day of new data, timestamped today before now: programmes run on about three days a
 * week, so ~45% of companies are active on a given day; in those, an active participant has a
 * session with probability 0.37 and a check-in with 0.16, and a programme books volunteer
 * hours with 0.2 and a grant with 0.05 — together about 1/24 of a month's volume.
 */
async function addToday(client: pg.Client, plan: Plan): Promise<{ rows: number; companies: number }> {
  const { today } = plan;
  const day = `'${today}'`;
  const activeCompany = (c: string) => `${rnd(`${c} || ':' || ${day}`, 90)} < 0.45`;
  const at = (key: string, salt: number) => `'${today}'::timestamptz + ${rnd(key, salt)} * 0.95 * (now() - '${today}'::timestamptz)`;
  let rows = 0;
  rows += await step(client, 'sessions today', sessionsSql(`
    SELECT e.*, floor(extract(epoch FROM t.at - e.enrolled_at) / 604800)::int AS k, t.at
    FROM bench_enrollments e CROSS JOIN LATERAL (SELECT ${at(`e.u || ${day}`, 91)} AS at) t
    WHERE e.status = 'active' AND e.type IN ('language', 'mentorship') AND ${activeCompany('e.c')} AND ${rnd(`e.u || ${day}`, 92)} < 0.37`, 'insert'));
  rows += await step(client, 'outcome_scores today (sessions)', sessionScoresSql(`s.completed_at >= '${today}'::timestamptz`, 'insert'));
  rows += await step(client, 'buddy_checkins today', checkinsSql(`
    SELECT e.*, floor(extract(epoch FROM t.at - e.enrolled_at) / 1209600)::int AS k, t.at
    FROM bench_enrollments e CROSS JOIN LATERAL (SELECT ${at(`e.u || ${day}`, 93)} AS at) t
    WHERE e.status = 'active' AND e.type = 'buddy' AND ${activeCompany('e.c')} AND ${rnd(`e.u || ${day}`, 94)} < 0.16`, 'insert'));
  rows += await step(client, 'outcome_scores today (check-ins)', checkinScoresSql(`b.checkin_date >= '${today}'::timestamptz`, 'insert'));
  rows += await step(client, 'investments today', investmentsSql(`
    SELECT c, type, kind, c || ':' || type || ':' || kind || ':' || ${day} AS key, ${day}::date AS invested_on
    FROM generate_series(1, ${plan.companies}) c, unnest(ARRAY['buddy', 'language', 'mentorship', 'upskilling']) type, unnest(ARRAY['cash', 'volunteer_hours']) kind
    WHERE ${activeCompany('c')} AND ${rnd(`c || ':' || type || ':' || kind || ${day}`, 95)} < CASE kind WHEN 'cash' THEN 0.05 ELSE 0.2 END`, 'insert'));
  const { rows: [active] } = await client.query(`SELECT count(*) AS n FROM generate_series(1, ${plan.companies}) c WHERE ${activeCompany('c')}`);
  await client.query('ANALYZE sessions, outcome_scores, buddy_checkins, investments');
  return { rows, companies: Number(active.n) };
}

// ------------------------------------------------------------------ the pipeline

async function timeRun(db: Knex, log: Logger, mode: RunMode): Promise<{ seconds: number; rows: number }> {
  const started = performance.now();
  const result = await runJob({ db, log, now: () => new Date() }, companyMetricsJob, { mode });
  if (result.status !== 'succeeded') throw new Error(`company-metrics ${mode} run ${result.status}: ${result.error ?? 'no error recorded'}`);
  return { seconds: seconds(started), rows: result.rows };
}

// ------------------------------------------------------------------ the report endpoint

const agent = new Agent({ keepAlive: true, maxSockets: REPORT_CONCURRENCY });

/** One GET on a keep-alive socket; resolves with the status and body once the body is read. */
function get(url: URL, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

interface ReportRequest {
  path: string;
  token: string;
}

/** A company as the report requests see it: its id and its funder's token. */
interface Funder {
  org: string;
  token: string;
}

/** Random company-months, each asked for with the token of that company's funder (a member of it). */
function reportRequests(plan: Plan, funders: Funder[], count: number, seed: number): ReportRequest[] {
  const r = new Random(seed);
  const [year, month] = plan.start.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, () => {
    const funder = r.pick(funders);
    const periodStart = new Date(Date.UTC(year, month - 1 + r.int(0, plan.months - 1), 1)).toISOString().slice(0, 10);
    return { path: `/v1/reports/companies/${funder.org}/metrics?period_type=month&period_start=${periodStart}`, token: funder.token };
  });
}

class RouteMissing extends Error {}

/** Latencies (ms, sorted) of the requests at the given concurrency; RouteMissing while the endpoint does not exist. */
async function timeRequests(apiUrl: string, requests: ReportRequest[], concurrency: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests.length) {
      const one = requests[next++]!;
      const started = performance.now();
      const { status, body } = await get(new URL(apiUrl + one.path), { authorization: `Bearer ${one.token}` });
      latencies.push(performance.now() - started);
      if (status === 404 && /"code":"route_not_found"/.test(body)) throw new RouteMissing(body);
      if (status !== 200) throw new Error(`status ${status} for ${one.path}: ${body}`);
    }
  }));
  return latencies.sort((a, b) => a - b);
}

async function startApi(home: string, databaseUrl: string): Promise<{ api: ChildProcess; url: string }> {
  const port = 19000 + (process.pid % 1000);
  const env = { ...process.env, DATABASE_URL: databaseUrl, API_PORT: String(port), AUTH_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'info' };
  // The API logs every request, as in production; to a file, so the figures stay readable.
  const apiLog = openSync(path.join(home, 'bench-pipelines-api.log'), 'w');
  const api = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/meridian.js'), 'api'], { env, stdio: ['ignore', apiLog, apiLog] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if ((await get(new URL(`${url}/v1/openapi.json`), {}).catch(() => ({ status: 0 }))).status === 200) break;
    if (i > 300 || api.exitCode !== null) {
      api.kill('SIGTERM');
      throw new Error(`the API did not start (see ${path.join(home, 'bench-pipelines-api.log')})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { api, url };
}

async function reportP95(home: string, databaseUrl: string, plan: Plan, funders: Funder[]): Promise<number | null> {
  const { api, url } = await startApi(home, databaseUrl);
  try {
    await timeRequests(url, reportRequests(plan, funders, REPORT_WARMUP, 7), REPORT_CONCURRENCY);
    const latencies = await timeRequests(url, reportRequests(plan, funders, REPORT_REQUESTS, 20261124), REPORT_CONCURRENCY);
    return round(percentile(latencies, 95));
  } catch (error) {
    if (!(error instanceof RouteMissing)) throw error;
    process.stderr.write(`pipelines: the report endpoint answers 404 route_not_found (not written yet); report_p95_ms is null\n`);
    return null;
  } finally {
    api.kill('SIGTERM');
    if (api.exitCode === null) await new Promise((resolve) => api.once('exit', resolve));
    agent.destroy();
  }
}

// ------------------------------------------------------------------ the run

function readPlan(args: string[]): { plan: Plan; reuse: boolean } {
  const { values } = parseArgs({ args, options: { quick: { type: 'boolean', default: false }, companies: { type: 'string' }, months: { type: 'string' }, reuse: { type: 'boolean', default: false } } });
  const companies = Number(values.companies ?? (values.quick ? 50 : 1000));
  const months = Number(values.months ?? 24);
  if (!Number.isInteger(companies) || companies < 1 || companies > 100_000) throw new Error('--companies must be a whole number from 1 to 100000');
  if (!Number.isInteger(months) || months < 2 || months > 120) throw new Error('--months must be a whole number from 2 to 120');
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1)).toISOString().slice(0, 10);
  const today = now.toISOString().slice(0, 10);
  return { plan: { companies, months, start, today }, reuse: values.reuse };
}

const DATABASE = 'meridian_bench_pipelines';
/**
 * With --reuse, the generated world is kept in this database (with the plan it was generated
 * from in `bench_world`) and every run starts from a copy of it: generation takes minutes,
 * a copy seconds. A world generated on another day (or for another size) is generated again.
 */
const WORLD = `${DATABASE}_world`;

interface StoredWorld {
  plan: Plan;
  activityRows: number;
}

async function storedWorld(base: Config): Promise<StoredWorld | null> {
  if (!(await databaseExists(base, WORLD))) return null;
  const client = new pg.Client({ connectionString: withDatabase(base.database.url, WORLD) });
  await client.connect();
  try {
    const { rows: [row] } = await client.query(`SELECT companies, months, to_char(start, 'YYYY-MM-DD') AS start, to_char(today, 'YYYY-MM-DD') AS today, activity_rows FROM bench_world`).catch(() => ({ rows: [] }));
    return row ? { plan: { companies: row.companies, months: row.months, start: row.start, today: row.today }, activityRows: Number(row.activity_rows) } : null;
  } finally {
    await client.end();
  }
}

const samePlan = (a: Plan, b: Plan) => a.companies === b.companies && a.months === b.months && a.start === b.start && a.today === b.today;

/** The loading session: UTC day boundaries, and no waiting on the WAL flush per statement. */
async function loadingSession(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SET timezone = 'UTC'; SET synchronous_commit = off; SET work_mem = '256MB'`);
  return client;
}

export async function benchPipelines(args: string[]): Promise<void> {
  const { plan, reuse } = readPlan(args);
  const base = loadConfig();
  const log = createLogger('warn');
  await servicesUp(base, log);
  let database: BenchDatabase;
  let client: pg.Client;
  let activityRows: number;
  const stored = reuse ? await storedWorld(base) : null;
  if (stored && samePlan(stored.plan, plan)) {
    phase(`reusing the generated world in ${WORLD} (${stored.activityRows.toLocaleString()} activity rows): copying it to ${DATABASE}`);
    const started = performance.now();
    database = await copiedDatabase(base, log, WORLD, DATABASE);
    client = await loadingSession(database.url);
    await planEnrollments(client, plan);
    activityRows = stored.activityRows;
    phase(`  copied in ${round(seconds(started))} s`);
  } else {
    if (reuse) phase(stored ? `${WORLD} holds another plan (${JSON.stringify(stored.plan)}): generating again` : `no generated world in ${WORLD} yet: generating it`);
    database = await freshDatabase(base, log, DATABASE);
    client = await loadingSession(database.url);
    phase(`generating ${plan.companies.toLocaleString()} companies × ${plan.months} months from ${plan.start}`);
    const started = performance.now();
    await generate(client, plan);
    activityRows = await countActivity(client);
    phase(`generated ${activityRows.toLocaleString()} activity rows in ${round(seconds(started))} s`);
    if (reuse) {
      await client.query(`CREATE TABLE bench_world AS SELECT $1::int AS companies, $2::int AS months, $3::date AS start, $4::date AS today, $5::bigint AS activity_rows, now() AS generated_at`,
        [plan.companies, plan.months, plan.start, plan.today, activityRows]);
      // The copy needs the source without connections (the enrolment plan is a temp table: rebuilt after).
      await client.end();
      const kept = await copiedDatabase(base, log, DATABASE, WORLD);
      await kept.release();
      phase(`  kept as ${WORLD} for --reuse`);
      client = await loadingSession(database.url);
      await planEnrollments(client, plan);
    }
  }
  const { url, release } = database;
  const db = createDb(base, log, { url, poolMax: 4 });
  try {
    let started: number;
    phase('full rebuild');
    const full = await timeRun(db, log, 'full');
    phase(`  ${full.rows.toLocaleString()} metric rows in ${round(full.seconds)} s`);
    phase('first incremental run (no watermark yet: recomputes everything; untimed)');
    started = performance.now();
    await timeRun(db, log, 'incremental');
    phase(`  ${round(seconds(started))} s`);

    phase('one day of new data');
    const day = await addToday(client, plan);
    phase(`  ${day.rows.toLocaleString()} rows in ${day.companies} active companies`);
    phase('incremental run');
    const incremental = await timeRun(db, log, 'incremental');
    phase(`  ${incremental.rows.toLocaleString()} metric rows changed in ${round(incremental.seconds)} s`);

    phase(`report endpoint: ${REPORT_REQUESTS} requests at concurrency ${REPORT_CONCURRENCY}`);
    // The funder analysts, read back from their memberships (the API checks the same rows).
    const { rows } = await client.query(`SELECT organization_id AS org, user_id AS sub FROM organization_members WHERE role = 'analyst' AND status = 'active' ORDER BY 1`);
    const funders = (rows as Array<{ org: string; sub: string }>).map(({ org, sub }) => ({ org, token: signToken({ sub, org, roles: ['funder'] }, SECRET) }));
    const p95 = await reportP95(base.home, url, plan, funders);

    process.stdout.write(JSON.stringify({
      bench: 'pipelines',
      companies: plan.companies,
      activity_rows: activityRows,
      full_rebuild_s: round(full.seconds),
      incremental_s: round(incremental.seconds, 2),
      report_p95_ms: p95,
      machine: machine(),
    }) + '\n');
  } finally {
    await client.end();
    await db.destroy();
    await release();
  }
}
