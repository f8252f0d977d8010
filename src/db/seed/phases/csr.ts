/** TEEI CSR programmes: value maps, investments, enrolments, sessions, buddies, learning, outcomes. */
import { createHash } from 'node:crypto';
import { Random } from '../../../domain/random.js';
import { TableBuffer } from '../../copy.js';
import { FEEDBACK_SNIPPETS, COURSES } from '../data/text.js';
import { CEFR, DAY, DemoWorld, K, VOLUNTEERS_PER_CSR, iso, isoDate, roundTo, t } from '../world.js';
import { PROGRAM_DESCRIPTIONS, PROGRAM_NAMES, VALUE_MAP_OUTCOMES } from '../content.js';

export function* generateCsr(world: DemoWorld): Generator<Record<string, TableBuffer>> {
  const r = world.rng(K.program);
  const make = () => ({
    programs: t('programs', 'id, organization_id, name, program_type, description, country, start_date, end_date, status'),
    valueMaps: t('sroi_value_maps', 'id, organization_id, program_id, version, name, currency, discount_rate, volunteer_hour_value, status, valid_from, valid_to, notes'),
    valueOutcomes: t('sroi_value_map_outcomes', 'id, value_map_id, outcome_key, description, indicator, financial_proxy, proxy_source, deadweight, attribution, displacement, drop_off, benefit_period_years'),
    investments: t('investments', 'id, organization_id, program_id, investment_type, amount, currency, hours, hourly_value, description, invested_on'),
    enrollments: t('program_enrollments', 'id, user_id, program_id, program_type, enrolled_at, status, completed_at'),
    externalIds: t('external_id_mappings', 'id, user_id, external_system, external_id'),
    sessions: t('sessions', 'id, external_session_id, session_type, program_id, participant_id, volunteer_id, scheduled_at, completed_at, duration_minutes, rating, feedback_text, language_level, topics'),
    matches: t('buddy_matches', 'id, program_id, participant_id, buddy_id, matched_at, status, ended_at'),
    events: t('buddy_events', 'id, match_id, event_type, event_date, duration_minutes, description, location'),
    checkins: t('buddy_checkins', 'id, match_id, checkin_date, mood, notes'),
    feedback: t('buddy_feedback', 'id, match_id, from_role, rating, feedback_text, submitted_at'),
    learning: t('learning_progress', 'id, user_id, program_id, provider, course_id, course_name, status, progress_percent, started_at, completed_at, credential_ref'),
    outcomes: t('outcome_scores', 'id, text_id, text_type, user_id, program_id, dimension, score, confidence, model_version, scored_at, created_at'),
    evidence: t('evidence_snippets', 'id, outcome_score_id, snippet_text, snippet_hash, embedding_ref'),
    safety: t('safety_flags', 'id, content_id, content_type, flag_reason, confidence, requires_human_review, review_status, raised_at'),
  });
  let b = make();
  let program = 0;
  let enrollment = 0;
  const participantsPerCompany = Math.max(10, Math.round((world.plan.candidates * 0.17 * world.plan.csrParticipantsShare) / world.plan.organizations.csr_company / 2));
  for (let k = 0; k < world.plan.organizations.csr_company; k++) {
    const org = world.orgOffsets.csr_company + k;
    const currency = world.orgRegion(org) === 'ZA' ? 'ZAR' : 'EUR';
    const hourValue = currency === 'EUR' ? 32 : 180;
    // Value map v1 (retired) and v2 (active): reports must say which version produced a figure.
    for (let version = 1; version <= 2; version++) {
      const mapId = world.id(K.valueMap, org * 4 + version);
      b.valueMaps.add([mapId, world.id(K.org, org), null, version, `Impact value map v${version}`, currency, version === 1 ? '0.0350' : '0.0350', version === 1 ? hourValue * 0.9 : hourValue,
        version === 1 ? 'retired' : 'active', isoDate(world.now - (version === 1 ? 900 : 365) * DAY), version === 1 ? isoDate(world.now - 366 * DAY) : null,
        version === 1 ? 'Initial proxies' : 'Proxies reviewed against national wage and wellbeing data']);
      VALUE_MAP_OUTCOMES.forEach((outcome, o) => {
        const factor = currency === 'EUR' ? 1 : 8;
        b.valueOutcomes.add([world.id(K.valueOutcome, (org * 4 + version) * 8 + o), mapId, outcome.key, outcome.description, outcome.indicator, Math.round(outcome.proxyEur * factor * (version === 1 ? 0.9 : 1)), outcome.source,
          outcome.deadweight, outcome.attribution, outcome.displacement, outcome.dropOff, outcome.years]);
      });
    }
    const types = r.sample(['buddy', 'language', 'mentorship', 'upskilling'] as const, r.int(2, 3));
    for (const programType of types) {
      const programId = world.id(K.program, program++);
      const start = world.now - r.int(500, 760) * DAY;
      b.programs.add([programId, world.id(K.org, org), `${PROGRAM_NAMES[programType]} ${k + 1}`, programType, PROGRAM_DESCRIPTIONS[programType], world.orgRegion(org) === 'ZA' ? 'ZA' : r.pick(['DE', 'FR', 'NO', 'NL', 'BE']), isoDate(start), null, 'active']);
      // Investments, monthly over two years.
      for (let m = 0; m < 24; m++) {
        const day = isoDate(world.now - (m * 30 + r.int(0, 25)) * DAY);
        b.investments.add([world.id(K.investment, program * 100 + m * 3), world.id(K.org, org), programId, 'cash', roundTo(r.normal(6000, 2000, 1500, 15000) * (currency === 'EUR' ? 1 : 15), 10), currency, null, null, 'Programme delivery grant', day]);
        b.investments.add([world.id(K.investment, program * 100 + m * 3 + 1), world.id(K.org, org), programId, 'volunteer_hours', null, null, r.int(20, 160), hourValue, 'Employee volunteering hours', day]);
        if (m % 3 === 0) b.investments.add([world.id(K.investment, program * 100 + m * 3 + 2), world.id(K.org, org), programId, 'in_kind', roundTo(r.normal(2500, 800, 500, 6000) * (currency === 'EUR' ? 1 : 15), 10), currency, null, null, 'Laptops, venue and catering', day]);
      }
      // A person is enrolled in a programme at most once (program_enrollments is unique on it).
      const enrolled = new Set<number>();
      for (let p = 0; p < participantsPerCompany; p++) {
        // Each person belongs to one company's programmes (i ≡ k mod companies), so a course is
        // never taken twice by one person without keeping a set of who took what.
        const candidate = world.findCandidate(r, (prof) => prof.type === 'participant' || (prof.region === 'ZA' && prof.type === 'job_seeker'), { modulus: world.plan.organizations.csr_company, remainder: k });
        if (candidate === undefined || enrolled.has(candidate)) continue;
        enrolled.add(candidate);
        generateParticipant(world, r, b, org, programId, programType, candidate, enrollment++, start);
      }
      if (b.sessions.rows > 20_000 || b.outcomes.rows > 20_000) {
        yield b;
        b = make();
      }
    }
  }
  yield b;
}

function generateParticipant(world: DemoWorld, r: Random, b: ReturnType<typeof generateCsr> extends Generator<infer B> ? B : never, org: number, programId: string, programType: string, candidate: number, n: number, programStart: number): void {
  const userId = world.id(K.user, candidate);
  const enrolled = programStart + r.int(0, 600) * DAY;
  if (enrolled > world.now - 7 * DAY) return;
  const status = r.weighted(['active', 'completed', 'dropped'] as const, [55, 35, 10]);
  const completed = status === 'completed' ? Math.min(world.now, enrolled + r.int(60, 200) * DAY) : null;
  b.enrollments.add([world.id(K.progEnrollment, n), userId, programId, programType, iso(enrolled), status, completed ? iso(completed) : null]);
  b.externalIds.add([world.id(K.externalId, n), userId, programType === 'buddy' ? 'buddy' : programType === 'upskilling' ? 'upskilling' : 'kintell', `${programType.slice(0, 2)}-${n}-${candidate}`]);
  const end = completed ?? world.now;
  const volunteer = () => world.id(K.volunteer, org * VOLUNTEERS_PER_CSR + r.int(0, VOLUNTEERS_PER_CSR - 1));
  const score = (textId: string, textType: string, text: string, at: number, base: number) => {
    for (const dimension of r.sample(['confidence', 'belonging', 'lang_level_proxy', 'job_readiness', 'well_being'] as const, 2)) {
      const progress = Math.min(1, (at - enrolled) / (200 * DAY));
      const outcomeId = world.nextId(K.outcome);
      b.outcomes.add([outcomeId, textId, textType, userId, programId, dimension, Math.min(1, Math.max(0, base + progress * 0.25 + r.normal(0, 0.08))).toFixed(3), r.normal(0.82, 0.08, 0.5, 0.99).toFixed(3), 'q2q-v2', iso(at), iso(at)]);
      if (r.chance(0.4)) {
        const snippet = text.length > 240 ? text.slice(0, 240) : text;
        b.evidence.add([world.nextId(K.evidence), outcomeId, snippet, createHash('sha256').update(`${outcomeId}:${snippet}`).digest('hex'), `vec://evidence/${outcomeId}`]);
      }
    }
  };
  const baseline = r.normal(0.38, 0.1, 0.05, 0.7);
  if (programType === 'language' || programType === 'mentorship') {
    const sessions = r.int(2, 8);
    let level = r.int(0, 2);
    for (let s = 0; s < sessions; s++) {
      const at = enrolled + Math.round(((end - enrolled) * (s + 1)) / (sessions + 1));
      if (r.chance(0.35) && level < 5) level++;
      const french = r.chance(0.3);
      const text = r.pick(french ? FEEDBACK_SNIPPETS.fr : FEEDBACK_SNIPPETS.en);
      const sessionId = world.id(K.session, n * 16 + s);
      const done = at < world.now && r.chance(0.9);
      b.sessions.add([sessionId, `kin-${n}-${s}`, programType === 'language' ? 'language' : 'mentorship', programId, userId, volunteer(), iso(at - DAY), done ? iso(at) : null, r.pick([30, 45, 60, 90]),
        done ? r.normal(0.8, 0.12, 0.2, 1).toFixed(2) : null, done ? text : null, programType === 'language' ? CEFR[level]! : null, programType === 'language' ? ['daily conversation', 'job interview practice'] : ['cv review', 'networking']]);
      if (done && r.chance(0.6)) score(sessionId, 'kintell_feedback', text, at, baseline);
    }
  } else if (programType === 'buddy') {
    const matchId = world.id(K.match, n);
    b.matches.add([matchId, programId, userId, volunteer(), iso(enrolled), status === 'dropped' ? 'ended' : status === 'completed' ? 'ended' : 'active', status === 'active' ? null : iso(end)]);
    const checkins = r.int(1, 5);
    for (let c = 0; c < checkins; c++) {
      const at = enrolled + Math.round(((end - enrolled) * (c + 1)) / (checkins + 1));
      const text = r.pick(FEEDBACK_SNIPPETS.en);
      const checkinId = world.id(K.checkin, n * 8 + c);
      b.checkins.add([checkinId, matchId, iso(at), r.weighted(['great', 'good', 'okay', 'struggling', 'difficult'] as const, [15 + c * 5, 35, 30, 15, 5]), text]);
      if (r.chance(0.5)) score(checkinId, 'checkin_note', text, at, baseline);
    }
    for (let e = 0; e < r.int(0, 3); e++) {
      b.events.add([world.id(K.buddyEvent, n * 4 + e), matchId, r.pick(['hangout', 'activity', 'workshop'] as const), iso(enrolled + r.int(1, 150) * DAY), r.pick([60, 90, 120, 180]), r.pick(['Coffee and city walk', 'Football in the park', 'CV workshop at the office', 'Visit to the public library']), 'City centre']);
    }
    for (const role of ['participant', 'buddy'] as const) {
      if (!r.chance(0.7)) continue;
      const text = r.pick(FEEDBACK_SNIPPETS.en);
      const feedbackId = world.id(K.feedback, n * 2 + (role === 'buddy' ? 1 : 0));
      const at = Math.min(world.now, end);
      b.feedback.add([feedbackId, matchId, role, r.normal(0.82, 0.12, 0.2, 1).toFixed(2), text, iso(at)]);
      score(feedbackId, 'buddy_feedback', text, at, baseline);
    }
  } else {
    for (const course of r.sample(COURSES, r.int(1, 3))) {
      const courseStatus = r.weighted(['enrolled', 'in_progress', 'completed', 'dropped'] as const, [15, 35, 40, 10]);
      const started = enrolled + r.int(0, 30) * DAY;
      const finished = courseStatus === 'completed' ? Math.min(world.now, started + r.int(20, 120) * DAY) : null;
      b.learning.add([world.nextId(K.learning), userId, programId, course.provider, course.courseId, course.name, courseStatus,
        courseStatus === 'completed' ? 100 : courseStatus === 'enrolled' ? 0 : r.int(5, 95), iso(started), finished ? iso(finished) : null, finished && r.chance(0.7) ? `cred-${course.courseId}-${n}` : null]);
    }
  }
  if (r.chance(0.01)) {
    b.safety.add([world.id(K.safety, n), world.id(K.session, n * 16), 'feedback_text', r.pick(['profanity', 'pii_leakage', 'hate_speech'] as const), r.normal(0.7, 0.15, 0.3, 0.99).toFixed(3), true, r.pick(['pending', 'approved', 'rejected'] as const), iso(end)]);
  }
}
