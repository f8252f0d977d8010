/** Candidates with their child rows, and the activity that hangs off each of them. */
import { Random, mix32 } from '../../../domain/random.js';
import { pgArrayOf } from '../../copy.js';
import { SKILLS } from '../data/skills.js';
import { LOCATIONS } from '../data/locations.js';
import { OCCUPATIONS, SECTORS } from '../data/occupations.js';
import { ORG_NAME_PARTS } from '../data/names.js';
import { HEADLINE_TEMPLATES, SUMMARY_SENTENCES } from '../data/text.js';
import type { OccupationSeed } from '../data/types.js';
import { CATEGORIES, CEFR, CURRENCY, CandidateProfile, CandidateType, DAY, DemoWorld, EDUCATION, K, LANGUAGES_BY_REGION, PHONE_PREFIX, Region, SALARY, SENIOR, USER_COLUMNS, fill, iso, isoDate, roundTo, slugify, t } from '../world.js';
import { CERTIFICATIONS, DEGREE_OF_LEVEL, DURATION_OF_DEGREE, EMAIL_DOMAINS, FIELDS_OF_STUDY, INSTITUTIONS } from '../content.js';

export function candidateTables() {
  return {
    users: t('users', USER_COLUMNS),
    candidates: t('candidates', 'id, user_id, candidate_type, category, education_level, years_experience, headline, summary, current_title, current_company, current_organization_id, current_industry, location_id, mobility, willing_to_relocate, available_capital, salary_expectation_min, salary_expectation_max, salary_currency, notice_period_days, open_to_opportunities, confidential_search, profile_visibility, verification_status, profile_completeness, onboarding_completed, last_active_at, created_at, updated_at'),
    consents: t('consent_records', 'id, user_id, consent_type, granted, policy_version, source, granted_at, revoked_at, created_at, updated_at'),
    skills: t('candidate_skills', 'id, candidate_id, skill_id, proficiency_level, years_of_experience, is_primary_skill, source, confidence'),
    experience: t('candidate_experience', 'id, candidate_id, organization_id, company_name, job_title, industry, location, employment_type, start_date, end_date, is_current, description, sort_order'),
    education: t('candidate_education', 'id, candidate_id, institution_name, degree_type, education_level, field_of_study, start_year, end_year, is_verified, sort_order'),
    languages: t('candidate_languages', 'id, candidate_id, language_code, cefr_level, is_native'),
    certifications: t('candidate_certifications', 'id, candidate_id, certification_name, issuing_organization, issue_date, expiry_date, credential_id, is_verified'),
    references: t('candidate_references', 'id, candidate_id, reference_name, reference_email, reference_company, reference_title, relationship, verification_status, permission_granted'),
    recommendations: t('recommendations', 'id, candidate_id, opportunity_id, match_score, rank, chips, reason, model_version, status, generated_at, viewed_at, clicked, clicked_at, applied, applied_at, dismissed_at, feedback_rating, created_at, updated_at'),
    applications: t('applications', 'id, candidate_id, opportunity_id, recommendation_id, status, ai_fit_score, explainability, timeline, submitted_at, created_at, updated_at'),
    placements: t('placements', 'id, application_id, candidate_id, opportunity_id, organization_id, start_date, salary, currency, roi_metrics, created_at, updated_at'),
    intros: t('introduction_requests', 'id, opportunity_id, organization_id, sent_by_user_id, candidate_id, personalized_message, status, response_date, expires_at, viewed_by_professional, viewed_at, interview_scheduled, outcome, sent_at, created_at, updated_at'),
    views: t('profile_views', 'id, viewer_user_id, organization_id, candidate_id, view_source, view_duration_seconds, viewed_at'),
    favorites: t('favorites', 'id, user_id, opportunity_id, created_at'),
    notifPrefs: t('notification_preferences', 'id, user_id, enabled, min_match_score, channels, frequency'),
  };
}

export function generateCandidate(world: DemoWorld, i: number, b: ReturnType<typeof candidateTables>): void {
  const profile = world.candidateProfile(i);
  const r = world.rng(K.user, i);
  const { region, type } = profile;
  const occ = OCCUPATIONS[profile.occupation]!;
  const loc = LOCATIONS[profile.location]!;
  const [first, last] = world.personName(r, region);
  const french = region === 'CM' ? r.chance(0.72) : region === 'EU' ? r.chance(0.25) : r.chance(0.02);
  const userId = world.id(K.user, i);
  const candidateId = world.id(K.candidate, i);
  const created = world.daysAgo(r, 720, 1);
  const active = Math.max(created, world.daysAgo(r, 120));
  const userType = type === 'beneficiary' ? 'BENEFICIARY' : type === 'professional' ? 'PROFESSIONAL' : type === 'student' ? 'STUDENT' : type === 'participant' ? 'PARTICIPANT' : 'BENEFICIARY';
  const completeness = r.int(35, 100);
  b.users.add([userId, `${slugify(first)}.${slugify(last)}.${i}@${r.pick(EMAIL_DOMAINS)}`, phoneNumber(region, i, world.seed),
    first, last, userType, r.chance(0.93) ? 'ACTIVE' : r.pick(['INACTIVE', 'PENDING_VERIFICATION', 'SUSPENDED'] as const), french ? 'fr' : 'en',
    r.chance(0.85), r.chance(0.6), completeness, iso(active), iso(active), iso(created), iso(active)]);

  const seniorRole = SENIOR.has(occ.seniority);
  const years = type === 'professional' ? r.int(Math.max(5, seniorRole ? 8 : 5), 30) : type === 'student' ? r.int(0, 2) : seniorRole ? r.int(5, 20) : r.int(0, 15);
  const education = educationFor(r, type, occ);
  const category = type === 'beneficiary' ? r.weighted(CATEGORIES, [30, 28, 8, 18, 10, 6]) : null;
  const [low, high] = SALARY[region];
  const expected = type === 'professional' ? high * r.normal(0.5, 0.15, 0.2, 1) : low * r.normal(1.6 + years * 0.08, 0.4, 0.8, 6);
  const hasEmployer = years > 0 && r.chance(type === 'professional' ? 0.9 : 0.45);
  const employerOrg = hasEmployer && r.chance(0.5) ? world.hiringOrgs[r.int(0, world.hiringOrgs.length - 1)]! : null;
  const currentCompany = hasEmployer ? (employerOrg !== null ? null : `${r.pick(ORG_NAME_PARTS.cores)} ${r.pick(['Ltd', 'SARL', 'Group', 'Holdings', 'Services'])}`) : null;
  const title = french ? occ.titleFr : occ.title;
  const headline = fill(r.pick(french ? HEADLINE_TEMPLATES.fr : HEADLINE_TEMPLATES.en), { title, years, city: loc.city });
  const occSkills = occ.requiredSkills.concat(occ.preferredSkills);
  const summaryParts = r.sample(french ? SUMMARY_SENTENCES.fr : SUMMARY_SENTENCES.en, r.int(2, 4));
  const skillName = (slug: string) => (french ? SKILLS[world.skillIndex.get(slug)!]!.nameFr : SKILLS[world.skillIndex.get(slug)!]!.name);
  const summary = summaryParts.map((s) => fill(s, { title, skill: skillName(r.pick(occSkills)), skill2: skillName(r.pick(occSkills)), sector: sectorName(occ.sector, french) })).join(' ');
  const confidential = type === 'professional' ? r.chance(0.6) : r.chance(0.08);
  const visibility = type === 'professional' ? r.weighted(['private', 'network', 'public'] as const, [25, 50, 25]) : r.weighted(['private', 'network', 'public'] as const, [10, 30, 60]);
  b.candidates.add([candidateId, userId, type, category, education, years, headline, summary, hasEmployer ? title : null,
    employerOrg !== null ? null : currentCompany, employerOrg !== null ? world.id(K.org, employerOrg) : null, hasEmployer ? sectorName(occ.sector, false) : null,
    world.id(K.location, profile.location), r.weighted(['local', 'regional', 'national', 'international'] as const, type === 'beneficiary' ? [45, 35, 15, 5] : [25, 25, 30, 20]),
    r.chance(0.3), type === 'beneficiary' ? roundTo(low * r.normal(0.1, 0.1, 0, 1), 500) : null,
    roundTo(expected, 1000), roundTo(expected * r.normal(1.3, 0.1, 1.05, 1.8), 1000), CURRENCY[region],
    type === 'professional' ? r.pick([30, 60, 90]) : r.pick([0, 7, 14, 30]), r.chance(0.88), confidential, visibility,
    type === 'professional' ? r.weighted(['unverified', 'basic', 'full', 'premium'] as const, [20, 40, 30, 10]) : r.weighted(['unverified', 'basic', 'full', 'premium'] as const, [55, 35, 9, 1]),
    completeness, completeness > 60, iso(active), iso(created), iso(active)]);

  // Consent: everyone agreed to processing at sign-up; search and matching are separate choices.
  const consentAt = iso(created);
  const searchable = r.chance(0.86);
  const revokedSearch = !searchable && r.chance(0.3);
  b.consents.add([world.id(K.consent, i * 4), userId, 'data_processing', true, '2.1', 'signup', consentAt, null, consentAt, consentAt]);
  b.consents.add([world.id(K.consent, i * 4 + 1), userId, 'profile_search', searchable, '2.1', 'signup', searchable || revokedSearch ? consentAt : null, revokedSearch ? iso(active) : null, consentAt, revokedSearch ? iso(active) : consentAt]);
  const matching = r.chance(0.92);
  b.consents.add([world.id(K.consent, i * 4 + 2), userId, 'matching', matching, '2.1', 'signup', matching ? consentAt : null, null, consentAt, consentAt]);

  // Skills: most of the occupation's, plus a few others; some inferred from experience.
  const chosen = new Set<number>();
  for (const slug of r.sample(occ.requiredSkills, r.int(Math.max(1, occ.requiredSkills.length - 2), occ.requiredSkills.length))) chosen.add(world.skillIndex.get(slug)!);
  for (const slug of r.sample(occ.preferredSkills, r.int(0, occ.preferredSkills.length))) chosen.add(world.skillIndex.get(slug)!);
  const extra = r.int(0, 3);
  for (let e = 0; e < extra; e++) chosen.add(r.int(0, SKILLS.length - 1));
  let s = 0;
  for (const skill of chosen) {
    const inferred = r.chance(0.2);
    b.skills.add([world.id(K.cSkill, i * 16 + s), candidateId, world.id(K.skill, skill), r.weighted(['beginner', 'intermediate', 'advanced', 'expert'] as const, years > 8 ? [5, 30, 40, 25] : [25, 45, 22, 8]),
      Math.min(years, r.int(0, years + 1)), s === 0, inferred ? 'inferred' : 'declared', inferred ? r.normal(0.7, 0.15, 0.3, 0.99).toFixed(3) : null]);
    s++;
  }

  // Work history, most recent first.
  const jobs = years === 0 ? 0 : Math.min(4, 1 + Math.floor(years / 6) + (r.chance(0.3) ? 1 : 0));
  let end = hasEmployer ? null : world.now - r.int(30, 400) * DAY;
  let cursor = end ?? world.now;
  for (let e = 0; e < jobs; e++) {
    const spanYears = Math.max(1, Math.round(years / jobs));
    const startMs = cursor - spanYears * 365 * DAY - r.int(0, 200) * DAY;
    const pastOcc = e === 0 ? occ : OCCUPATIONS[r.pick(world.occupationsBySeniority.any)]!;
    const isCurrent = e === 0 && end === null;
    b.experience.add([world.id(K.experience, i * 8 + e), candidateId, e === 0 && employerOrg !== null ? world.id(K.org, employerOrg) : null,
      e === 0 && currentCompany ? currentCompany : `${r.pick(ORG_NAME_PARTS.cores)} ${r.pick(['Ltd', 'SARL', 'Cooperative', 'Group', 'Enterprises'])}`,
      french ? pastOcc.titleFr : pastOcc.title, sectorName(pastOcc.sector, false), LOCATIONS[r.pick(world.locationsByRegion[region])]!.city,
      type === 'beneficiary' ? r.weighted(['informal', 'self_employed', 'full_time', 'contract'] as const, [35, 30, 20, 15]) : r.weighted(['full_time', 'contract', 'consulting', 'part_time'] as const, [70, 15, 8, 7]),
      isoDate(startMs), isCurrent ? null : isoDate(end ?? cursor), isCurrent, french ? pastOcc.descriptionFr : pastOcc.description, e]);
    end = startMs - r.int(10, 120) * DAY;
    cursor = end;
  }

  // Education: the highest level reached, and sometimes the one before it.
  const levelIndex = EDUCATION.indexOf(education);
  if (levelIndex > 0) {
    const endYear = new Date(world.now).getUTCFullYear() - years - r.int(0, 3);
    const degree = DEGREE_OF_LEVEL[education]!;
    b.education.add([world.id(K.education, i * 4), candidateId, r.pick(INSTITUTIONS[region]), degree, education, r.pick(FIELDS_OF_STUDY), endYear - DURATION_OF_DEGREE[degree]!, endYear, r.chance(0.3), 0]);
    if (levelIndex > 2 && r.chance(0.5)) {
      b.education.add([world.id(K.education, i * 4 + 1), candidateId, r.pick(INSTITUTIONS[region]), 'secondary', 'SECONDARY', 'General studies', endYear - DURATION_OF_DEGREE[degree]! - 5, endYear - DURATION_OF_DEGREE[degree]!, false, 1]);
    }
  }

  // Languages with CEFR levels; the first one is native.
  let l = 0;
  for (const [code, p] of LANGUAGES_BY_REGION[region]) {
    if (l === 0 || r.chance(p)) {
      b.languages.add([world.id(K.language, i * 8 + l), candidateId, code, l === 0 ? 'C2' : r.pick(CEFR), l === 0]);
      if (++l >= 4) break;
    }
  }

  if (r.chance(type === 'professional' ? 0.5 : 0.12)) {
    const issued = world.now - r.int(60, 2000) * DAY;
    const cert = r.pick(CERTIFICATIONS);
    b.certifications.add([world.id(K.certification, i), candidateId, cert[0], cert[1], isoDate(issued), r.chance(0.4) ? isoDate(issued + 3 * 365 * DAY) : null, `C-${(mix32(i) % 1e8).toString().padStart(8, '0')}`, r.chance(0.4)]);
  }
  if (type === 'professional' && r.chance(0.4)) {
    const [rf, rl] = world.personName(r, region);
    b.references.add([world.id(K.reference, i), candidateId, `${rf} ${rl}`, `${slugify(rf)}.${slugify(rl)}@${r.pick(EMAIL_DOMAINS)}`, `${r.pick(ORG_NAME_PARTS.cores)} Group`, r.pick(['Managing Director', 'Head of Finance', 'Chief Operating Officer', 'Board Member']),
      r.pick(['manager', 'colleague', 'client']), r.weighted(['pending', 'contacted', 'verified'] as const, [40, 20, 40]), true]);
  }

  generateCandidateActivity(world, i, profile, r, b, created, searchable && matching);
}

function generateCandidateActivity(world: DemoWorld, i: number, profile: CandidateProfile, r: Random, b: ReturnType<typeof candidateTables>, created: number, matchable: boolean): void {
  const candidateId = world.id(K.candidate, i);
  const userId = world.id(K.user, i);
  const applied = new Set<number>();

  // Recommendations (OIM lifecycle) for job seekers of every kind but senior professionals.
  if (matchable && profile.type !== 'professional' && r.chance(0.55)) {
    const count = r.int(3, 8);
    const seen = new Set<number>();
    for (let k = 0; k < count; k++) {
      const inOccupation = r.chance(0.75);
      const j = inOccupation ? world.opportunityOf(profile.occupation, r) : r.int(0, world.plan.opportunities - 1);
      if (seen.has(j)) continue;
      seen.add(j);
      const generated = Math.max(created, world.daysAgo(r, 180));
      const score = r.normal(0.68, 0.14, 0.2, 0.99);
      // People act on what fits them: an opportunity in their own occupation is clicked and
      // applied to more, one picked at random dismissed more (overall close to the OIM funnel),
      // so a ranker trained on the demo's lifecycle has something real to learn.
      const status = r.weighted(['generated', 'viewed', 'clicked', 'applied', 'dismissed', 'abandoned'] as const,
        inOccupation ? [29, 25, 14, 15, 10, 7] : [33, 25, 6, 3, 26, 7]);
      const viewed = status !== 'generated' ? generated + r.int(1, 72) * 3_600_000 : null;
      const clicked = status === 'clicked' || status === 'applied' || status === 'abandoned' ? viewed! + r.int(1, 600) * 60_000 : null;
      const appliedAt = status === 'applied' ? clicked! + r.int(1, 48) * 3_600_000 : null;
      const recId = world.id(K.recommendation, i * 16 + k);
      b.recommendations.add([recId, candidateId, world.id(K.opportunity, j), score.toFixed(4), k + 1,
        [{ type: 'skills_overlap', sign: 1, weight: 0.4, label: { en: 'Skills match your profile', fr: 'Compétences adaptées à votre profil' } }],
        'Matches your skills and location', 'handset-v1', status, iso(generated), viewed ? iso(viewed) : null, clicked !== null, clicked ? iso(clicked) : null,
        appliedAt !== null, appliedAt ? iso(appliedAt) : null, status === 'dismissed' ? iso(viewed!) : null, appliedAt && r.chance(0.6) ? r.int(2, 5) : null,
        iso(generated), iso(appliedAt ?? clicked ?? viewed ?? generated)]);
      if (appliedAt !== null && !applied.has(j)) {
        applied.add(j);
        addApplication(world, i, j, r, b, appliedAt, recId, score);
      }
    }
  }
  // Direct applications.
  if (r.chance(profile.type === 'professional' ? 0.1 : 0.22)) {
    const j = world.opportunityOf(profile.occupation, r);
    if (!applied.has(j)) {
      applied.add(j);
      addApplication(world, i, j, r, b, Math.max(created, world.daysAgo(r, 300)) + DAY, null, r.normal(0.6, 0.15, 0.1, 0.99));
    }
  }
  // theNexus: introduction requests and profile views for senior professionals.
  if (profile.type === 'professional' && matchable) {
    const intros = r.weighted([0, 1, 2], [55, 30, 15]);
    const seen = new Set<number>();
    for (let k = 0; k < intros; k++) {
      const j = world.opportunityOf(profile.occupation, r);
      if (seen.has(j)) continue;
      seen.add(j);
      const org = world.opportunityOrg(j);
      const sent = Math.max(created + DAY, world.daysAgo(r, 200, 1));
      const expires = sent + 7 * DAY;
      const status = expires < world.now ? r.weighted(['accepted', 'declined', 'expired', 'withdrawn'] as const, [45, 30, 20, 5]) : r.weighted(['pending', 'accepted', 'declined'] as const, [60, 25, 15]);
      const responded = status === 'accepted' || status === 'declined' ? sent + r.int(1, 6 * 24) * 3_600_000 : null;
      b.intros.add([world.id(K.intro, i * 4 + k), world.id(K.opportunity, j), world.id(K.org, org), world.memberUserId(org, r.int(0, world.memberCount(org) - 1)), candidateId,
        'Your background fits a confidential leadership role we are filling; would you be open to a conversation?', status, responded ? iso(responded) : null, iso(expires),
        status !== 'pending' || r.chance(0.5), status !== 'pending' ? iso(sent + r.int(1, 48) * 3_600_000) : null, status === 'accepted' && r.chance(0.6),
        status === 'accepted' ? r.weighted(['hired', 'rejected', 'withdrew', null] as const, [15, 25, 10, 50]) : status === 'expired' ? 'no_response' : null,
        iso(sent), iso(sent), iso(responded ?? sent)]);
    }
  }
  if (matchable && (profile.type === 'professional' || profile.type === 'job_seeker') && r.chance(0.35)) {
    const views = r.int(1, 3);
    for (let k = 0; k < views; k++) {
      const org = world.hiringOrgs[r.int(0, world.hiringOrgs.length - 1)]!;
      b.views.add([world.id(K.view, i * 4 + k), world.memberUserId(org, 0), world.id(K.org, org), candidateId, r.weighted(['search', 'saved', 'recommendation', 'talent_pool', 'direct'] as const, [60, 10, 15, 10, 5]),
        r.int(5, 300), iso(Math.max(created, world.daysAgo(r, 180)))]);
    }
  }
  if (r.chance(0.1)) b.favorites.add([world.id(K.favorite, i), userId, world.id(K.opportunity, world.opportunityOf(profile.occupation, r)), iso(Math.max(created, world.daysAgo(r, 200)))]);
  if (r.chance(0.3)) b.notifPrefs.add([world.id(K.notifPref, i), userId, true, r.pick(['0.600', '0.700', '0.750', '0.800']), pgArrayOf(r.chance(0.5) ? ['in_app', 'whatsapp'] : ['in_app', 'email']), r.pick(['instant', 'daily', 'weekly'])]);
}

function addApplication(world: DemoWorld, i: number, j: number, r: Random, b: ReturnType<typeof candidateTables>, at: number, recommendationId: string | null, score: number): void {
  const appId = world.nextId(K.application);
  const status = r.weighted(['SUBMITTED', 'UNDER_REVIEW', 'SHORTLISTED', 'INTERVIEW', 'OFFERED', 'REJECTED', 'WITHDRAWN', 'HIRED'] as const, [22, 18, 12, 10, 5, 20, 5, 8]);
  const steps = ['SUBMITTED', 'UNDER_REVIEW', 'SHORTLISTED', 'INTERVIEW', 'OFFERED', 'HIRED'];
  const reached = status === 'REJECTED' || status === 'WITHDRAWN' ? steps.slice(0, r.int(1, 3)).concat(status) : steps.slice(0, steps.indexOf(status) + 1);
  const timeline = reached.map((s, k) => ({ status: s, at: iso(Math.min(world.now, at + k * 4 * DAY)) }));
  const last = Math.min(world.now, at + (reached.length - 1) * 4 * DAY);
  b.applications.add([appId, world.id(K.candidate, i), world.id(K.opportunity, j), recommendationId, status, (score * 100).toFixed(2),
    [{ type: 'skills_overlap', sign: 1, weight: 0.5, label: { en: 'Most required skills present', fr: 'La plupart des compétences requises' } }], timeline, iso(at), iso(at), iso(last)]);
  if (status === 'HIRED') {
    const region = world.orgRegion(world.opportunityOrg(j));
    const salary = roundTo(SALARY[region][0] * r.normal(2.5, 0.8, 1, 8), 1000);
    b.placements.add([world.nextId(K.placement), appId, world.id(K.candidate, i), world.id(K.opportunity, j), world.id(K.org, world.opportunityOrg(j)),
      isoDate(Math.min(world.now, last + 14 * DAY)), salary, CURRENCY[region], { time_to_hire_days: Math.round((last - at) / DAY) + 14, retained_90_days: r.chance(0.8) }, iso(last), iso(last)]);
  }
}

/** Unique per candidate: i ↦ i·7919 mod 9·10⁷ is a bijection below 9·10⁷ (7919 is coprime to it). */
function phoneNumber(region: Region, i: number, seed: number): string {
  return PHONE_PREFIX[region] + (10_000_000 + ((i * 7919 + seed) % 90_000_000)).toString();
}

function educationFor(r: Random, type: CandidateType, occ: OccupationSeed): (typeof EDUCATION)[number] {
  const min = EDUCATION.indexOf(occ.minEducation);
  if (type === 'professional') return r.chance(0.45) ? 'POSTGRADUATE' : 'UNDERGRADUATE';
  if (type === 'student') return r.weighted(['SECONDARY', 'VOCATIONAL', 'UNDERGRADUATE'] as const, [50, 35, 15]);
  // Some job seekers fall short of what their target occupation asks: matching must notice.
  const level = Math.max(0, Math.min(5, min + r.weighted([-1, 0, 1], [20, 60, 20])));
  return EDUCATION[level]!;
}

function sectorName(key: string, french: boolean): string {
  const sector = SECTORS.find((s) => s.key === key);
  return sector ? (french ? sector.nameFr : sector.name) : key;
}
