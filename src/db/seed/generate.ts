/**
 * The demo data generator: deterministic (same seed and as-of date → same rows), covering
 * the five seed systems, and streamed: rows are produced in batches into COPY buffers and
 * handed to a sink, so memory does not grow with the number of candidates.
 *
 * Rows refer to each other through stable ids (`stableUuid(seed, kind, index)`) and through
 * pure functions of an index (`candidateProfile(i)`, `opportunityOrg(j)`), never through
 * tables kept in memory.
 */
import { createHash } from 'node:crypto';
import { Random, mix32, stableUuid } from '../../domain/random.js';
import { TableBuffer, pgArrayOf } from '../copy.js';
import { SKILLS } from './data/skills.js';
import { LOCATIONS } from './data/locations.js';
import { OCCUPATIONS, SECTORS } from './data/occupations.js';
import { FIRST_NAMES, LAST_NAMES, ORG_NAME_PARTS } from './data/names.js';
import { HEADLINE_TEMPLATES, SUMMARY_SENTENCES, FEEDBACK_SNIPPETS, TRAINING_PROGRAMS, COURSES, INDUSTRIES } from './data/text.js';
import type { LocationSeed, OccupationSeed } from './data/types.js';

export interface DemoOptions {
  seed: number;
  candidates: number;
  /** The "today" of the generated world: activity lies in the two years before it. */
  asOf: Date;
}

export interface DemoPlan {
  candidates: number;
  opportunities: number;
  organizations: Record<OrgType, number>;
  csrParticipantsShare: number;
}

/** The rows of one table in one batch, as COPY text. */
export interface CopyBatch {
  table: string;
  columns: readonly string[];
  text: string[];
  rows: number;
}

/** Receives batches in an order that respects foreign keys (parents first). */
export interface DemoSink {
  write(batches: CopyBatch[]): Promise<void>;
}

export interface DemoProgress {
  phase: string;
  candidatesDone: number;
  candidatesTotal: number;
  rows: number;
}

type OrgType = 'employer' | 'ngo' | 'government' | 'private_sector' | 'training_provider' | 'institution' | 'sponsor' | 'csr_company';
type Region = 'CM' | 'NG' | 'ZA' | 'EU';
type CandidateType = 'beneficiary' | 'job_seeker' | 'professional' | 'student' | 'participant';

const ORG_TYPES: OrgType[] = ['employer', 'ngo', 'government', 'private_sector', 'training_provider', 'institution', 'sponsor', 'csr_company'];

/** Id spaces: one per kind of row that others refer to. */
const K = {
  location: 1, industry: 2, skill: 3, source: 4, role: 5, permission: 6, plan: 7, org: 8, orgUser: 9,
  member: 10, opportunity: 11, oppSkill: 12, user: 13, candidate: 14, consent: 15, cSkill: 16, experience: 17,
  education: 18, language: 19, certification: 20, reference: 21, recommendation: 22, application: 23,
  placement: 24, intro: 25, view: 26, favorite: 27, notifPref: 28, training: 29, cohort: 30, enrollment: 31,
  verification: 32, program: 33, progEnrollment: 34, session: 35, match: 36, buddyEvent: 37, checkin: 38,
  feedback: 39, learning: 40, outcome: 41, evidence: 42, investment: 43, valueMap: 44, valueOutcome: 45,
  subscription: 46, payment: 47, search: 48, event: 49, pool: 50, savedSearch: 51, referral: 52, audit: 53,
  safety: 54, externalId: 55, volunteer: 56, notification: 57, dedup: 58,
} as const;

const DAY = 86_400_000;
const BATCH_CANDIDATES = 2_000;

const REGION_OF_COUNTRY: Record<string, Region> = { CM: 'CM', NG: 'NG', ZA: 'ZA' };
const CURRENCY: Record<Region, string> = { CM: 'XAF', NG: 'NGN', ZA: 'ZAR', EU: 'EUR' };
/** Typical annual salary bands by region (entry, senior), in local currency. */
const SALARY: Record<Region, [number, number]> = { CM: [900_000, 30_000_000], NG: [1_800_000, 90_000_000], ZA: [90_000, 2_400_000], EU: [24_000, 180_000] };
const PHONE_PREFIX: Record<Region, string> = { CM: '+2376', NG: '+2348', ZA: '+277', EU: '+491' };

const EDUCATION = ['NO_FORMAL_EDUCATION', 'PRIMARY', 'SECONDARY', 'VOCATIONAL', 'UNDERGRADUATE', 'POSTGRADUATE'] as const;
const CATEGORIES = ['RETURNING_MIGRANT', 'IDP', 'FORMER_ARMED_GROUP_MEMBER', 'AFFECTED_COMMUNITY', 'CROSS_BORDER_TRADER', 'DIASPORA_MEMBER'] as const;
const OPPORTUNITY_TYPES = ['PERMANENT_EMPLOYMENT', 'TEMPORARY_EMPLOYMENT', 'INTERNSHIP', 'APPRENTICESHIP', 'ENTREPRENEURSHIP', 'VOCATIONAL_TRAINING', 'PROFESSIONAL_CERTIFICATION', 'BUSINESS_GRANT', 'MICRO_CREDIT'] as const;
const SENIOR = new Set(['senior', 'lead', 'director', 'vp', 'c_suite', 'executive']);
const EXECUTIVE = new Set(['director', 'vp', 'c_suite', 'executive']);
const CEFR = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;

const LANGUAGES_BY_REGION: Record<Region, Array<[string, number]>> = {
  CM: [['fr', 0.8], ['en', 0.45], ['ff', 0.15], ['ha', 0.08]],
  NG: [['en', 0.95], ['yo', 0.3], ['ig', 0.25], ['ha', 0.25], ['fr', 0.05]],
  ZA: [['en', 0.9], ['zu', 0.35], ['xh', 0.2], ['af', 0.25], ['st', 0.15]],
  EU: [['en', 0.7], ['fr', 0.35], ['de', 0.3], ['ar', 0.3], ['uk', 0.15], ['es', 0.15]],
};

export function planDemo(candidates: number): DemoPlan {
  if (!Number.isInteger(candidates) || candidates < 50 || candidates > 5_000_000) {
    throw new RangeError(`candidates must be an integer from 50 to 5,000,000 (got ${candidates})`);
  }
  const scale = (per: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(candidates / per)));
  return {
    candidates,
    opportunities: scale(10, 120, 500_000),
    organizations: {
      employer: scale(100, 30, 20_000),
      ngo: scale(2_000, 8, 600),
      government: scale(5_000, 4, 200),
      private_sector: scale(1_000, 10, 2_000),
      training_provider: scale(2_000, 8, 600),
      institution: scale(5_000, 5, 300),
      sponsor: scale(5_000, 5, 300),
      csr_company: scale(2_500, 6, 1_000),
    },
    csrParticipantsShare: 0.6,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const slugify = (text: string) => text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));
const roundTo = (value: number, step: number) => Math.round(value / step) * step;

interface CandidateProfile {
  region: Region;
  type: CandidateType;
  occupation: number;
  location: number;
}

class DemoWorld {
  readonly plan: DemoPlan;
  readonly seed: number;
  readonly now: number;
  readonly locationsByRegion: Record<Region, number[]>;
  readonly locationWeights: Record<Region, number[]>;
  readonly occupationsBySeniority: { vocational: number[]; professional: number[]; executive: number[]; any: number[] };
  readonly orgOffsets: Record<OrgType, number>;
  readonly orgCount: number;
  readonly skillIndex = new Map<string, number>();
  readonly hiringOrgs: number[];

  constructor(options: DemoOptions) {
    this.plan = planDemo(options.candidates);
    this.seed = options.seed >>> 0;
    this.now = Math.floor(options.asOf.getTime() / DAY) * DAY;
    this.locationsByRegion = { CM: [], NG: [], ZA: [], EU: [] };
    LOCATIONS.forEach((loc, i) => this.locationsByRegion[regionOf(loc)].push(i));
    this.locationWeights = { CM: [], NG: [], ZA: [], EU: [] };
    for (const region of Object.keys(this.locationsByRegion) as Region[]) {
      this.locationWeights[region] = this.locationsByRegion[region].map((i) => Math.sqrt(LOCATIONS[i]!.population));
    }
    const bySeniority = { vocational: [] as number[], professional: [] as number[], executive: [] as number[], any: [] as number[] };
    OCCUPATIONS.forEach((occ, i) => {
      bySeniority.any.push(i);
      if (EXECUTIVE.has(occ.seniority)) bySeniority.executive.push(i);
      else if (SENIOR.has(occ.seniority) || occ.minEducation === 'UNDERGRADUATE' || occ.minEducation === 'POSTGRADUATE') bySeniority.professional.push(i);
      else bySeniority.vocational.push(i);
    });
    if (bySeniority.executive.length === 0) bySeniority.executive = bySeniority.professional;
    if (bySeniority.vocational.length === 0) bySeniority.vocational = bySeniority.any;
    this.occupationsBySeniority = bySeniority;
    let offset = 0;
    this.orgOffsets = {} as Record<OrgType, number>;
    for (const type of ORG_TYPES) {
      this.orgOffsets[type] = offset;
      offset += this.plan.organizations[type];
    }
    this.orgCount = offset;
    SKILLS.forEach((s, i) => this.skillIndex.set(s.slug, i));
    // Organisations that publish opportunities.
    this.hiringOrgs = [];
    for (const type of ['employer', 'private_sector', 'ngo', 'government', 'training_provider'] as OrgType[]) {
      for (let k = 0; k < this.plan.organizations[type]; k++) this.hiringOrgs.push(this.orgOffsets[type] + k);
    }
  }

  private readonly counters = new Map<number, number>();

  id(kind: number, index: number): string {
    return stableUuid(this.seed, kind, index);
  }

  /** The next id of a kind nothing refers to by index; deterministic because generation order is. */
  nextId(kind: number): string {
    const n = this.counters.get(kind) ?? 0;
    this.counters.set(kind, n + 1);
    return stableUuid(this.seed, kind, n);
  }

  rng(stream: number, index = 0): Random {
    return new Random(this.seed ^ Math.imul(stream, 0x2545f491), index);
  }

  orgType(org: number): OrgType {
    for (let t = ORG_TYPES.length - 1; t >= 0; t--) if (org >= this.orgOffsets[ORG_TYPES[t]!]) return ORG_TYPES[t]!;
    return 'employer';
  }

  /** Region of an organisation: theNexus employers are Nigerian, CSR companies European, … */
  orgRegion(org: number): Region {
    const type = this.orgType(org);
    const h = mix32(this.seed ^ org ^ 0x51ed27) % 100;
    switch (type) {
      case 'csr_company': return h < 80 ? 'EU' : 'ZA';
      case 'institution': case 'sponsor': return 'ZA';
      case 'ngo': case 'government': return h < 60 ? 'CM' : h < 80 ? 'NG' : 'EU';
      default: return h < 40 ? 'NG' : h < 70 ? 'CM' : h < 90 ? 'ZA' : 'EU';
    }
  }

  /** Members of an organisation are users orgUser(org * 4 + k), k < memberCount(org). */
  memberCount(org: number): number {
    return 1 + (mix32(this.seed ^ org ^ 0x7a11) % 3);
  }

  memberUserId(org: number, k = 0): string {
    return this.id(K.orgUser, org * 4 + k);
  }

  opportunityOrg(j: number): number {
    return this.hiringOrgs[mix32(this.seed ^ j ^ 0x0ff0) % this.hiringOrgs.length]!;
  }

  /** Opportunity j belongs to occupation j mod |occupations|. */
  opportunityOccupation(j: number): number {
    return j % OCCUPATIONS.length;
  }

  /** A random opportunity of the given occupation. */
  opportunityOf(occupation: number, r: Random): number {
    const perOccupation = Math.ceil(this.plan.opportunities / OCCUPATIONS.length);
    for (let attempt = 0; attempt < 4; attempt++) {
      const j = occupation + OCCUPATIONS.length * r.int(0, perOccupation - 1);
      if (j < this.plan.opportunities) return j;
    }
    return r.int(0, this.plan.opportunities - 1);
  }

  candidateProfile(i: number): CandidateProfile {
    const r = this.rng(K.candidate, i);
    const region = r.weighted<Region>(['CM', 'NG', 'ZA', 'EU'], [35, 28, 20, 17]);
    const type: CandidateType =
      region === 'CM' ? r.weighted<CandidateType>(['beneficiary', 'job_seeker', 'student'], [75, 20, 5])
      : region === 'NG' ? r.weighted<CandidateType>(['professional', 'job_seeker', 'beneficiary'], [50, 40, 10])
      : region === 'ZA' ? r.weighted<CandidateType>(['student', 'job_seeker', 'professional'], [55, 35, 10])
      : r.weighted<CandidateType>(['participant', 'job_seeker', 'professional'], [60, 30, 10]);
    const pool = type === 'professional' ? this.occupationsBySeniority.executive.concat(this.occupationsBySeniority.professional)
      : type === 'beneficiary' ? this.occupationsBySeniority.vocational
      : type === 'student' ? this.occupationsBySeniority.vocational.concat(this.occupationsBySeniority.professional)
      : this.occupationsBySeniority.any;
    const occupation = r.pick(pool);
    const location = r.weighted(this.locationsByRegion[region], this.locationWeights[region]);
    return { region, type, occupation, location };
  }

  /** A random candidate index whose profile satisfies `accept` (bounded retries). */
  findCandidate(r: Random, accept: (p: CandidateProfile) => boolean, residue?: { modulus: number; remainder: number }): number | undefined {
    for (let attempt = 0; attempt < 40; attempt++) {
      const i = residue
        ? residue.remainder + residue.modulus * r.int(0, Math.max(0, Math.floor((this.plan.candidates - 1 - residue.remainder) / residue.modulus)))
        : r.int(0, this.plan.candidates - 1);
      if (i < this.plan.candidates && accept(this.candidateProfile(i))) return i;
    }
    return undefined;
  }

  personName(r: Random, region: Region): [string, string] {
    return [r.pick(FIRST_NAMES[region]), r.pick(LAST_NAMES[region])];
  }

  daysAgo(r: Random, maxDays: number, minDays = 0): number {
    return this.now - r.int(minDays, maxDays) * DAY - r.int(0, DAY - 1);
  }
}

function regionOf(loc: LocationSeed): Region {
  return REGION_OF_COUNTRY[loc.country] ?? 'EU';
}

// ---------------------------------------------------------------- table buffers

/** Tables whose created_at / updated_at default to now(): the generator supplies them. */
const BOTH = ['created_at', 'updated_at'];
const AUTO_STAMPED: Record<string, string[]> = Object.fromEntries([
  ...['buddy_matches', 'candidate_certifications', 'candidate_education', 'candidate_experience', 'candidate_languages', 'candidate_references',
    'candidate_skills', 'company_subscriptions', 'data_sources', 'industries', 'investments', 'learning_progress', 'notification_preferences',
    'opportunity_skills', 'permissions', 'program_enrollments', 'programs', 'referrals', 'roles', 'saved_searches', 'sessions', 'skills',
    'sroi_value_map_outcomes', 'sroi_value_maps', 'subscription_plans', 'training_programs'].map((t) => [t, BOTH]),
  ...['buddy_checkins', 'buddy_events', 'buddy_feedback', 'evidence_snippets', 'external_id_mappings', 'role_permissions', 'training_program_skills', 'user_roles'].map((t) => [t, ['created_at']]),
]);
const t = (table: string, columns: string) => new TableBuffer(table, columns.split(',').map((c) => c.trim()));

function referenceTables() {
  return {
    locations: t('locations', 'id, name, country, region, city, latitude, longitude, created_at, updated_at'),
    industries: t('industries', 'id, industry_name, industry_slug, sort_order'),
    skills: t('skills', 'id, slug, skill_name, skill_name_fr, skill_category, parent_skill_id, synonyms'),
    dataSources: t('data_sources', 'id, name, type, url, country, config'),
    roles: t('roles', 'id, name, display_name, description, is_system_role'),
    permissions: t('permissions', 'id, name, resource, action'),
    rolePermissions: t('role_permissions', 'role_id, permission_id'),
    plans: t('subscription_plans', 'id, plan_name, plan_description, price_monthly_ngn, price_annual_ngn, introduction_credits_monthly, max_hr_users, max_active_roles, support_level, features, sort_order'),
  };
}

const USER_COLUMNS = 'id, email, phone, first_name, last_name, user_type, status, preferred_language, email_verified, phone_verified, profile_completion_pct, last_login_at, last_active_at, created_at, updated_at';

function organizationTables() {
  return {
    organizations: t('organizations', 'id, name, type, industry, company_size, location_id, country, website, description, registration_number, contact_email, verified, verification_status, status, subscription_tier, introduction_credits, created_at, updated_at'),
    users: t('users', USER_COLUMNS),
    members: t('organization_members', 'id, organization_id, user_id, role, job_title, department, can_search, can_send_introductions, can_create_roles, can_manage_billing, joined_at, created_at, updated_at'),
    userRoles: t('user_roles', 'user_id, role_id'),
    subscriptions: t('company_subscriptions', 'id, organization_id, plan_id, status, billing_cycle, start_date, end_date, next_billing_date, auto_renew'),
    payments: t('payments', 'id, organization_id, subscription_id, amount, currency, payment_method, payment_gateway, transaction_reference, status, failure_reason, paid_at, created_at, updated_at'),
  };
}

function opportunityTables() {
  return {
    opportunities: t('opportunities', 'id, type, title, description, requirements, language, organization_id, created_by_user_id, location_id, remote_option, sector, seniority, salary_min, salary_max, salary_currency, contract_type, duration_months, required_education, experience_min_years, experience_max_years, investment_required, amount, is_for_vulnerable, eligible_categories, is_confidential, status, application_deadline, external_url, source_id, source, seo_slug, view_count, published_at, closed_at, created_at, updated_at'),
    oppSkills: t('opportunity_skills', 'id, opportunity_id, skill_id, requirement, min_proficiency, min_years'),
  };
}

function candidateTables() {
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

// ---------------------------------------------------------------- the generator
export async function generateDemo(options: DemoOptions, sink: DemoSink, onProgress?: (progress: DemoProgress) => void): Promise<{ plan: DemoPlan; rows: number; checksum: string }> {
  const world = new DemoWorld(options);
  const hash = createHash('sha256');
  let rows = 0;
  let candidatesDone = 0;
  let phase = 'reference';
  // Bookkeeping timestamps the generator does not choose row by row are the as-of instant,
  // never the load's now(): the same seed must give the same bytes on any day.
  const stamp = '\t' + iso(world.now);
  const emit = async (buffers: Record<string, TableBuffer>) => {
    const batches: CopyBatch[] = [];
    for (const buffer of Object.values(buffers)) {
      const drained = buffer.drain();
      let text = drained.text;
      const count = drained.rows;
      if (count === 0) continue;
      let columns = buffer.columns;
      const auto = (AUTO_STAMPED[buffer.table] ?? []).filter((c) => !columns.includes(c));
      if (auto.length > 0) {
        // Raw newlines only end rows (COPY text escapes the ones inside values).
        const suffix = stamp.repeat(auto.length) + '\n';
        text = text.map((chunk) => chunk.replaceAll('\n', suffix));
        columns = [...columns, ...auto];
      }
      rows += count;
      // The checksum covers exactly the text that is copied, in order.
      hash.update(buffer.table);
      for (const chunk of text) hash.update(chunk);
      batches.push({ table: buffer.table, columns, text, rows: count });
    }
    await sink.write(batches);
    onProgress?.({ phase, candidatesDone, candidatesTotal: world.plan.candidates, rows });
  };

  await emit(generateReference(world));
  phase = 'organizations';
  await emit(generateOrganizations(world));
  phase = 'opportunities';
  for (let start = 0; start < world.plan.opportunities; start += 5_000) {
    await emit(generateOpportunities(world, start, Math.min(world.plan.opportunities, start + 5_000)));
  }
  phase = 'candidates';
  for (let start = 0; start < world.plan.candidates; start += BATCH_CANDIDATES) {
    const end = Math.min(world.plan.candidates, start + BATCH_CANDIDATES);
    const buffers = candidateTables();
    for (let i = start; i < end; i++) generateCandidate(world, i, buffers);
    candidatesDone = end;
    await emit(buffers);
  }
  phase = 'training and cohorts';
  await emit(generateTrainingAndCohorts(world));
  phase = 'csr programmes';
  for (const buffers of generateCsr(world)) await emit(buffers);
  phase = 'activity';
  for (const buffers of generateActivity(world)) await emit(buffers);
  return { plan: world.plan, rows, checksum: hash.digest('hex') };
}

function generateReference(world: DemoWorld) {
  const b = referenceTables();
  const created = iso(world.now - 800 * DAY);
  LOCATIONS.forEach((loc, i) => {
    b.locations.add([world.id(K.location, i), `${loc.city}, ${loc.region}`, loc.country, loc.region, loc.city, loc.lat.toFixed(6), loc.lon.toFixed(6), created, created]);
  });
  INDUSTRIES.forEach((name, i) => b.industries.add([world.id(K.industry, i), name, slugify(name), i]));
  SKILLS.forEach((skill, i) => {
    const parent = skill.parent === undefined ? null : world.id(K.skill, world.skillIndex.get(skill.parent)!);
    b.skills.add([world.id(K.skill, i), skill.slug, skill.name, skill.nameFr, skill.category, parent, skill.synonyms]);
  });
  DATA_SOURCES.forEach((source, i) => b.dataSources.add([world.id(K.source, i), source.name, source.type, source.url, source.country, { schedule: source.schedule }]));
  ROLES.forEach((role, i) => b.roles.add([world.id(K.role, i), role.name, role.display, role.description, true]));
  let p = 0;
  const permissionIds = new Map<string, string>();
  for (const resource of RESOURCES) {
    for (const action of ['CREATE', 'READ', 'UPDATE', 'DELETE', 'EXPORT', 'MANAGE'] as const) {
      const id = world.id(K.permission, p++);
      permissionIds.set(`${resource}:${action}`, id);
      b.permissions.add([id, `${resource}.${action.toLowerCase()}`, resource, action]);
    }
  }
  ROLES.forEach((role, i) => {
    for (const grant of role.grants) {
      const [resource, actions] = grant.split(':') as [string, string];
      for (const action of actions.split('|')) b.rolePermissions.add([world.id(K.role, i), permissionIds.get(`${resource}:${action}`)!]);
    }
  });
  PLANS.forEach((plan, i) => b.plans.add([world.id(K.plan, i), plan.name, plan.description, plan.monthly, plan.annual, plan.credits, plan.users, plan.roles, plan.support, plan.features, i]));
  return b;
}

function generateOrganizations(world: DemoWorld) {
  const b = organizationTables();
  const r = world.rng(K.org);
  const names = new Set<string>();
  for (let org = 0; org < world.orgCount; org++) {
    const type = world.orgType(org);
    const region = world.orgRegion(org);
    const location = r.weighted(world.locationsByRegion[region], world.locationWeights[region]);
    const loc = LOCATIONS[location]!;
    let name = `${r.pick(ORG_NAME_PARTS.prefixes)} ${r.pick(ORG_NAME_PARTS.cores)} ${r.pick(ORG_NAME_PARTS.suffixes[type] ?? ORG_NAME_PARTS.suffixes.employer!)}`.replace(/\s+/g, ' ').trim();
    if (names.has(name)) name = `${name} ${loc.city}`;
    if (names.has(name)) name = `${name} ${org}`;
    names.add(name);
    const industry = type === 'ngo' ? 'Non-profit' : type === 'government' ? 'Public Sector' : r.pick(INDUSTRIES);
    const created = world.daysAgo(r, 900, 200);
    const verified = r.chance(0.7);
    const tier = type === 'employer' || type === 'private_sector' ? r.weighted(['trial', 'basic', 'professional', 'enterprise'], [20, 35, 30, 15]) : null;
    const domain = slugify(name).slice(0, 40);
    b.organizations.add([
      world.id(K.org, org), name, type, industry, r.pick(['1-10', '11-50', '51-200', '201-500', '500+']), world.id(K.location, location), loc.country,
      `https://${domain}.example.org`, fill(ORG_DESCRIPTIONS[type], { name, city: loc.city, industry }), `RC/${loc.country}/${100000 + org}`, `contact@${domain}.example.org`,
      verified, verified ? (tier === 'enterprise' ? 'premium' : 'verified') : 'pending', r.chance(0.97) ? 'active' : 'inactive', tier, tier ? r.int(0, 40) : 0, iso(created), iso(created + r.int(0, 100) * DAY),
    ]);
    const members = world.memberCount(org);
    for (let k = 0; k < members; k++) {
      const userIndex = org * 4 + k;
      const [first, last] = world.personName(r, region);
      const userId = world.memberUserId(org, k);
      const joined = created + r.int(0, 120) * DAY;
      b.users.add([userId, `${slugify(first)}.${slugify(last)}.${userIndex}@${domain}.example.org`, null, first, last, MEMBER_USER_TYPE[type], 'ACTIVE', region === 'CM' && r.chance(0.7) ? 'fr' : 'en', true, r.chance(0.5), 100, iso(world.daysAgo(r, 30)), iso(world.daysAgo(r, 30)), iso(joined), iso(joined)]);
      const role = k === 0 ? 'owner' : r.pick(['admin', 'recruiter', 'member', 'analyst'] as const);
      b.members.add([world.id(K.member, userIndex), world.id(K.org, org), userId, role, r.pick(MEMBER_TITLES[type]), type === 'csr_company' ? 'Corporate Responsibility' : 'People & Talent',
        true, role !== 'analyst', role !== 'analyst', role === 'owner', iso(joined), iso(joined), iso(joined)]);
      b.userRoles.add([userId, world.id(K.role, ROLE_OF_ORG_TYPE[type])]);
    }
    if (tier && tier !== 'trial') {
      const planIndex = PLANS.findIndex((p) => p.tier === tier);
      const subscriptionId = world.id(K.subscription, org);
      const annual = r.chance(0.3);
      const start = world.now - r.int(60, 700) * DAY;
      b.subscriptions.add([subscriptionId, world.id(K.org, org), world.id(K.plan, planIndex), r.chance(0.9) ? 'active' : 'past_due', annual ? 'annual' : 'monthly', isoDate(start), null, isoDate(world.now + r.int(1, 30) * DAY), true]);
      const plan = PLANS[planIndex]!;
      const step = annual ? 365 : 30;
      let n = 0;
      for (let at = start; at <= world.now; at += step * DAY, n++) {
        const failed = r.chance(0.04);
        const amount = annual ? plan.annual : plan.monthly;
        const method = r.pick(['bank_transfer', 'card', 'paystack', 'flutterwave'] as const);
        b.payments.add([world.id(K.payment, org * 1000 + n), world.id(K.org, org), subscriptionId, amount, 'NGN', method, method === 'paystack' || method === 'flutterwave' ? method : null,
          `TX-${world.seed}-${org}-${n}`, failed ? 'failed' : 'successful', failed ? 'Card declined by issuer' : null, failed ? null : iso(at), iso(at), iso(at)]);
      }
    }
  }
  // Volunteers of CSR companies are members too (they run the sessions).
  for (let k = 0; k < world.plan.organizations.csr_company; k++) {
    const org = world.orgOffsets.csr_company + k;
    for (let v = 0; v < VOLUNTEERS_PER_CSR; v++) {
      const index = org * VOLUNTEERS_PER_CSR + v;
      const [first, last] = world.personName(r, 'EU');
      const joined = world.daysAgo(r, 700, 30);
      const userId = world.id(K.volunteer, index);
      b.users.add([userId, `${slugify(first)}.${slugify(last)}.v${index}@volunteers.example.org`, null, first, last, 'VOLUNTEER', 'ACTIVE', r.chance(0.3) ? 'fr' : 'en', true, false, 80, iso(world.daysAgo(r, 40)), iso(world.daysAgo(r, 40)), iso(joined), iso(joined)]);
      b.members.add([world.id(K.member, 10_000_000 + index), world.id(K.org, org), userId, 'member', 'Volunteer mentor', 'Employee volunteering', false, false, false, false, iso(joined), iso(joined), iso(joined)]);
    }
  }
  return b;
}

const VOLUNTEERS_PER_CSR = 12;

function generateOpportunities(world: DemoWorld, start: number, end: number) {
  const b = opportunityTables();
  for (let j = start; j < end; j++) {
    const r = world.rng(K.opportunity, j);
    const occ = OCCUPATIONS[world.opportunityOccupation(j)]!;
    const org = world.opportunityOrg(j);
    const region = world.orgRegion(org);
    const location = r.weighted(world.locationsByRegion[region], world.locationWeights[region]);
    const type = j < OPPORTUNITY_TYPES.length ? OPPORTUNITY_TYPES[j]! : opportunityType(r, occ);
    const french = (region === 'CM' && r.chance(0.65)) || (region === 'EU' && r.chance(0.2));
    const senior = SENIOR.has(occ.seniority);
    const [low, high] = SALARY[region];
    const base = senior ? high * r.normal(0.45, 0.12, 0.2, 0.9) : low * r.normal(2.2, 0.6, 1, 5);
    const paid = type === 'PERMANENT_EMPLOYMENT' || type === 'TEMPORARY_EMPLOYMENT' || type === 'INTERNSHIP' || type === 'APPRENTICESHIP';
    const salaryMin = paid ? roundTo(base, 1000) : null;
    const salaryMax = paid ? roundTo(base * r.normal(1.3, 0.1, 1.1, 1.6), 1000) : null;
    const status = r.weighted(['active', 'draft', 'paused', 'closed', 'filled', 'expired'] as const, [75, 8, 4, 5, 5, 3]);
    const created = world.daysAgo(r, 365, 3);
    const published = status === 'draft' ? null : created + r.int(0, 3) * DAY;
    const forVulnerable = region === 'CM' ? r.chance(0.55) : r.chance(0.1);
    const eligible = forVulnerable ? r.sample(CATEGORIES, r.int(1, 3)) : [];
    const expMin = EXECUTIVE.has(occ.seniority) ? r.int(10, 15) : senior ? r.int(5, 8) : r.int(0, 2);
    const title = french ? occ.titleFr : occ.title;
    const grantLike = type === 'BUSINESS_GRANT' || type === 'MICRO_CREDIT' || type === 'ENTREPRENEURSHIP';
    const creator = world.memberUserId(org, 0);
    b.opportunities.add([
      world.id(K.opportunity, j), type, grantLike ? `${title} — ${french ? 'appui à l’entrepreneuriat' : 'enterprise support'}` : title,
      french ? occ.descriptionFr : occ.description, french ? `Compétences requises : ${occ.requiredSkills.map((s) => SKILLS[world.skillIndex.get(s)!]!.nameFr).join(', ')}.` : `Required skills: ${occ.requiredSkills.map((s) => SKILLS[world.skillIndex.get(s)!]!.name).join(', ')}.`,
      french ? 'fr' : 'en', world.id(K.org, org), creator, world.id(K.location, location),
      r.weighted(['on_site', 'hybrid', 'remote'] as const, senior ? [50, 35, 15] : [85, 10, 5]), occ.sector, occ.seniority,
      salaryMin, salaryMax, paid ? CURRENCY[region] : null, contractFor(type, r), type === 'PERMANENT_EMPLOYMENT' ? null : r.int(2, 24), occ.minEducation,
      expMin, expMin + r.int(3, 10), type === 'ENTREPRENEURSHIP' ? roundTo(SALARY[region][0] * r.normal(0.5, 0.2, 0.1, 2), 1000) : null,
      grantLike ? roundTo(SALARY[region][0] * r.normal(1.5, 0.5, 0.3, 4), 1000) : null, forVulnerable, pgArrayOf(eligible),
      EXECUTIVE.has(occ.seniority) && r.chance(0.35), status, published ? isoDate(world.now + r.int(-20, 90) * DAY) : null,
      j % 7 === 0 ? `https://jobs.example.org/${slugify(title)}-${j}` : null, j % 7 === 0 ? world.id(K.source, j % DATA_SOURCES.length) : null, j % 7 === 0 ? 'partner_feed' : 'platform',
      `${slugify(title).slice(0, 160)}-${j.toString(36)}`, r.int(0, 400), published ? iso(published) : null,
      status === 'closed' || status === 'filled' ? iso(world.daysAgo(r, 20)) : null, iso(created), iso(created + r.int(0, 10) * DAY),
    ]);
    let s = 0;
    for (const slug of occ.requiredSkills) {
      b.oppSkills.add([world.id(K.oppSkill, j * 16 + s++), world.id(K.opportunity, j), world.id(K.skill, world.skillIndex.get(slug)!), 'required', senior ? 'advanced' : r.pick(['beginner', 'intermediate'] as const), senior ? r.int(3, 8) : null]);
    }
    for (const slug of occ.preferredSkills) {
      b.oppSkills.add([world.id(K.oppSkill, j * 16 + s++), world.id(K.opportunity, j), world.id(K.skill, world.skillIndex.get(slug)!), 'preferred', null, null]);
    }
  }
  return b;
}

function opportunityType(r: Random, occ: OccupationSeed): (typeof OPPORTUNITY_TYPES)[number] {
  if (SENIOR.has(occ.seniority)) return r.weighted(['PERMANENT_EMPLOYMENT', 'TEMPORARY_EMPLOYMENT', 'PROFESSIONAL_CERTIFICATION'] as const, [85, 10, 5]);
  return r.weighted(OPPORTUNITY_TYPES, [30, 18, 10, 10, 8, 10, 4, 5, 5]);
}

function contractFor(type: string, r: Random): string | null {
  switch (type) {
    case 'PERMANENT_EMPLOYMENT': return r.chance(0.85) ? 'full_time' : 'part_time';
    case 'TEMPORARY_EMPLOYMENT': return r.pick(['temporary', 'contract', 'part_time']);
    case 'INTERNSHIP': return 'internship';
    case 'APPRENTICESHIP': return 'apprenticeship';
    case 'ENTREPRENEURSHIP': case 'BUSINESS_GRANT': case 'MICRO_CREDIT': return 'self_employed';
    default: return null;
  }
}

function generateCandidate(world: DemoWorld, i: number, b: ReturnType<typeof candidateTables>): void {
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
      const j = r.chance(0.75) ? world.opportunityOf(profile.occupation, r) : r.int(0, world.plan.opportunities - 1);
      if (seen.has(j)) continue;
      seen.add(j);
      const generated = Math.max(created, world.daysAgo(r, 180));
      const score = r.normal(0.68, 0.14, 0.2, 0.99);
      const status = r.weighted(['generated', 'viewed', 'clicked', 'applied', 'dismissed', 'abandoned'] as const, [30, 25, 12, 12, 14, 7]);
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

function generateTrainingAndCohorts(world: DemoWorld) {
  const b = {
    programs: t('training_programs', 'id, provider_id, location_id, title, title_fr, description, delivery_mode, duration_weeks, cost, currency, capacity, is_for_vulnerable, eligible_categories, status, start_date'),
    programSkills: t('training_program_skills', 'training_program_id, skill_id'),
    cohorts: t('cohorts', 'id, institution_id, sponsor_id, training_program_id, created_by, name, program_type, sponsor_email, student_count, supporting_templates, admin_signed_at, state, start_date, end_date, created_at, updated_at'),
    enrollments: t('cohort_enrollments', 'id, cohort_id, user_id, state, document_verification_state, rejection_reason, student_data, uploaded_documents, created_at, updated_at'),
    verifications: t('document_verifications', 'id, cohort_enrollment_id, admin_id, document_type, action, reason, created_at'),
  };
  const r = world.rng(K.training);
  let p = 0;
  for (let k = 0; k < world.plan.organizations.training_provider; k++) {
    const org = world.orgOffsets.training_provider + k;
    const region = world.orgRegion(org);
    for (const program of r.sample(TRAINING_PROGRAMS, r.int(3, 6))) {
      const id = world.id(K.training, p++);
      const vulnerable = region === 'CM' && r.chance(0.6);
      b.programs.add([id, world.id(K.org, org), world.id(K.location, r.pick(world.locationsByRegion[region])), program.name, program.nameFr,
        `${program.name}: a ${program.durationWeeks}-week course.`, r.pick(['in_person', 'online', 'blended'] as const), program.durationWeeks,
        r.chance(0.4) ? 0 : roundTo(SALARY[region][0] * r.normal(0.08, 0.03, 0.01, 0.3), 100), CURRENCY[region], r.int(15, 60), vulnerable,
        pgArrayOf(vulnerable ? r.sample(CATEGORIES, r.int(1, 4)) : []), 'active', isoDate(world.now + r.int(-60, 120) * DAY)]);
      for (const slug of program.skills) b.programSkills.add([id, world.id(K.skill, world.skillIndex.get(slug)!)]);
    }
  }
  let c = 0;
  let e = 0;
  for (let k = 0; k < world.plan.organizations.institution; k++) {
    const org = world.orgOffsets.institution + k;
    const cohorts = r.int(2, 4);
    for (let q = 0; q < cohorts; q++) {
      const sponsor = world.orgOffsets.sponsor + r.int(0, world.plan.organizations.sponsor - 1);
      const programType = r.weighted(['learnership', 'internship', 'candidacy'] as const, [60, 30, 10]);
      const start = world.now - r.int(-60, 500) * DAY;
      const state = start > world.now ? 'draft' : start + 365 * DAY < world.now ? 'completed' : r.chance(0.95) ? 'active' : 'cancelled';
      const cohortId = world.id(K.cohort, c++);
      const size = r.int(10, 40);
      const quarter = Math.floor(new Date(start).getUTCMonth() / 3) + 1;
      b.cohorts.add([cohortId, world.id(K.org, org), world.id(K.org, sponsor), null, world.memberUserId(org, 0),
        `Q${quarter} ${new Date(start).getUTCFullYear()} ${programType[0]!.toUpperCase()}${programType.slice(1)} Programme ${q + 1}`, programType, `sponsor@${sponsor}.example.org`, size, [101, 102],
        state === 'draft' ? null : iso(start - 10 * DAY), state, iso(start), iso(start + 365 * DAY), iso(start - 30 * DAY), iso(start)]);
      const students = new Set<number>();
      for (let s = 0; s < size; s++) {
        const candidate = world.findCandidate(r, (prof) => prof.type === 'student' && prof.region === 'ZA');
        if (candidate === undefined || students.has(candidate)) continue;
        students.add(candidate);
        const enrollmentState = state === 'draft' ? 'waiting' : state === 'completed' ? r.weighted(['complete', 'in_progress'] as const, [85, 15]) : r.weighted(['waiting', 'in_progress', 'complete'] as const, [20, 60, 20]);
        const verification = enrollmentState === 'waiting' ? 'pending' : r.weighted(['pending', 'verified', 'rejected'] as const, [15, 75, 10]);
        const enrollmentId = world.id(K.enrollment, e++);
        const profile = world.candidateProfile(candidate);
        b.enrollments.add([enrollmentId, cohortId, world.id(K.user, candidate), enrollmentState, verification, verification === 'rejected' ? r.pick(['Certified ID copy is older than three months', 'Matric certificate illegible', 'Proof of residence missing']) : null,
          { age: r.int(18, 34), gender: r.weighted(['female', 'male', 'non_binary'], [52, 46, 2]), race: r.weighted(['black_african', 'coloured', 'indian_asian', 'white'], [78, 10, 4, 8]), city: LOCATIONS[profile.location]!.city, disability: r.chance(0.06) },
          [{ type: 'id_document', uploaded: true }, { type: 'matric_certificate', uploaded: verification !== 'pending' || r.chance(0.5) }], iso(start - 20 * DAY), iso(start)]);
        if (verification !== 'pending') {
          b.verifications.add([world.nextId(K.verification), enrollmentId, world.memberUserId(org, 0), 'matric_certificate', verification === 'verified' ? 'approved' : 'rejected',
            verification === 'rejected' ? 'Document could not be verified' : null, iso(start - 5 * DAY)]);
        }
      }
    }
  }
  return b;
}

function* generateCsr(world: DemoWorld): Generator<Record<string, TableBuffer>> {
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

function* generateActivity(world: DemoWorld): Generator<Record<string, TableBuffer>> {
  const r = world.rng(K.search);
  const b = {
    searches: t('search_queries', 'id, user_id, organization_id, audience, search_text, filters, results_count, clicked_ids, search_duration_ms, searched_at'),
    events: t('analytics_events', 'id, user_id, session_id, event_type, entity_type, entity_id, properties, occurred_at'),
    pools: t('talent_pools', 'id, organization_id, owner_user_id, name, visibility, config, created_at, updated_at'),
    poolMembers: t('talent_pool_members', 'talent_pool_id, candidate_id, added_by, notes, added_at'),
    saved: t('saved_searches', 'id, user_id, organization_id, name, audience, query, alerts_enabled, last_run_at, last_result_count'),
    referrals: t('referrals', 'id, referrer_id, candidate_id, opportunity_id, payout_amount, currency, status, milestones'),
    audit: t('audit_logs', 'id, user_id, organization_id, action, entity_type, entity_id, changes, created_at'),
  };
  const searches = Math.round(world.plan.candidates / 4);
  for (let q = 0; q < searches; q++) {
    const org = world.hiringOrgs[r.int(0, world.hiringOrgs.length - 1)]!;
    const occ = OCCUPATIONS[r.int(0, OCCUPATIONS.length - 1)]!;
    b.searches.add([world.id(K.search, q), world.memberUserId(org, 0), world.id(K.org, org), 'candidates', r.chance(0.5) ? occ.title : SKILLS[world.skillIndex.get(r.pick(occ.requiredSkills))!]!.name,
      { skills: occ.requiredSkills.slice(0, 2), country: LOCATIONS[r.pick(world.locationsByRegion[world.orgRegion(org)])]!.country }, r.int(0, 400), [], r.int(8, 180), iso(world.daysAgo(r, 365))]);
    if (b.searches.rows >= 50_000) yield b;
  }
  const events = Math.round(world.plan.candidates / 5);
  for (let e = 0; e < events; e++) {
    const i = r.int(0, world.plan.candidates - 1);
    const type = r.weighted(['page_view', 'opportunity_view', 'search', 'profile_update', 'login'], [40, 25, 15, 10, 10]);
    b.events.add([world.id(K.event, e), world.id(K.user, i), `s-${mix32(e).toString(36)}`, type, type === 'opportunity_view' ? 'opportunity' : null,
      type === 'opportunity_view' ? world.id(K.opportunity, r.int(0, world.plan.opportunities - 1)) : null, { device: r.pick(['android', 'ios', 'web']) }, iso(world.daysAgo(r, 365))]);
    if (b.events.rows >= 50_000) yield b;
  }
  let pool = 0;
  for (let k = 0; k < world.plan.organizations.employer; k++) {
    const org = world.orgOffsets.employer + k;
    const pools = r.weighted([0, 1, 2], [50, 35, 15]);
    for (let p = 0; p < pools; p++) {
      const poolId = world.id(K.pool, pool++);
      const created = world.daysAgo(r, 300, 10);
      b.pools.add([poolId, world.id(K.org, org), world.memberUserId(org, 0), `${r.pick(['Finance leaders', 'Operations bench', 'Technology leads', 'Graduate pipeline', 'Sales managers'])} ${p + 1}`, r.chance(0.6) ? 'private' : 'organization', { refresh: 'weekly' }, iso(created), iso(created)]);
      const members = new Set<number>();
      for (let m = 0; m < r.int(5, 20); m++) {
        const i = world.findCandidate(r, (prof) => prof.type === 'professional' || prof.type === 'job_seeker');
        if (i === undefined || members.has(i)) continue;
        members.add(i);
        b.poolMembers.add([poolId, world.id(K.candidate, i), world.memberUserId(org, 0), null, iso(created + r.int(0, 10) * DAY)]);
      }
    }
    if (r.chance(0.3)) {
      b.saved.add([world.id(K.savedSearch, k), world.memberUserId(org, 0), world.id(K.org, org), 'Senior finance in Lagos', 'candidates', { q: 'finance director', region: 'Lagos', skills: ['financial-analysis'] }, r.chance(0.5), iso(world.daysAgo(r, 30)), r.int(0, 120)]);
    }
  }
  const referrals = Math.max(5, Math.round(world.plan.candidates / 500));
  for (let f = 0; f < referrals; f++) {
    const a = r.int(0, world.plan.candidates - 1);
    const c = (a + 1 + r.int(0, world.plan.candidates - 2)) % world.plan.candidates;
    b.referrals.add([world.id(K.referral, f), world.id(K.user, a), world.id(K.user, c), world.id(K.opportunity, r.int(0, world.plan.opportunities - 1)), r.pick([0, 5000, 10000, 25000]), 'NGN', r.pick(['pending', 'qualified', 'paid', 'rejected'] as const), []]);
  }
  for (let a = 0; a < Math.min(2_000, world.orgCount); a++) {
    const org = a % world.orgCount;
    b.audit.add([world.id(K.audit, a), world.memberUserId(org, 0), world.id(K.org, org), 'organization.update', 'organization', world.id(K.org, org), { website: { from: null, to: 'updated' } }, iso(world.daysAgo(r, 300))]);
  }
  yield b;
}

// ---------------------------------------------------------------- fixed reference content

const DATA_SOURCES = [
  { name: 'Emploi Cameroun (partner feed)', type: 'job_site', url: 'https://partners.example.cm/feed', country: 'CM', schedule: 'hourly' },
  { name: 'FNE job board', type: 'government_registry', url: 'https://fne.example.cm/offres', country: 'CM', schedule: 'daily' },
  { name: 'Jobberman Nigeria (partner feed)', type: 'job_site', url: 'https://feed.example.ng/jobs', country: 'NG', schedule: 'hourly' },
  { name: 'MINEFOP training catalogue', type: 'training_catalogue', url: 'https://minefop.example.cm/catalogue', country: 'CM', schedule: 'weekly' },
  { name: 'SETA learnership registry', type: 'government_registry', url: 'https://seta.example.za/learnerships', country: 'ZA', schedule: 'daily' },
  { name: 'UNHCR livelihoods partners', type: 'partner_feed', url: 'https://livelihoods.example.org/api', country: 'CM', schedule: 'daily' },
  { name: 'EURES vacancies', type: 'api', url: 'https://eures.example.eu/api', country: 'BE', schedule: 'daily' },
  { name: 'Manual entry', type: 'manual', url: null, country: null, schedule: 'never' },
] as const;

const RESOURCES = ['candidates', 'opportunities', 'applications', 'introductions', 'reports', 'organizations', 'users', 'cohorts', 'programs', 'models'];

const ROLES = [
  { name: 'administrator', display: 'Administrator', description: 'Runs the platform', grants: RESOURCES.map((r) => `${r}:CREATE|READ|UPDATE|DELETE|EXPORT|MANAGE`) },
  { name: 'recruiter', display: 'Recruiter', description: 'Searches candidates and sends introductions', grants: ['candidates:READ', 'opportunities:CREATE|READ|UPDATE', 'applications:READ|UPDATE', 'introductions:CREATE|READ'] },
  { name: 'beneficiary', display: 'Beneficiary', description: 'Job seeker receiving recommendations', grants: ['opportunities:READ', 'applications:CREATE|READ'] },
  { name: 'funder', display: 'Funder', description: 'Reads impact reports for their organisation', grants: ['reports:READ|EXPORT', 'programs:READ'] },
  { name: 'institution_admin', display: 'Institution administrator', description: 'Manages cohorts and verifies documents', grants: ['cohorts:CREATE|READ|UPDATE|MANAGE', 'reports:READ|EXPORT'] },
  { name: 'ngo_partner', display: 'NGO partner', description: 'Publishes opportunities for vulnerable groups', grants: ['opportunities:CREATE|READ|UPDATE', 'reports:READ'] },
  { name: 'volunteer', display: 'Volunteer', description: 'Runs sessions and buddy activities', grants: ['programs:READ'] },
];
const ROLE_OF_ORG_TYPE: Record<OrgType, number> = { employer: 1, private_sector: 1, ngo: 5, government: 5, training_provider: 4, institution: 4, sponsor: 3, csr_company: 3 };
const MEMBER_USER_TYPE: Record<OrgType, string> = { employer: 'HR_PARTNER', private_sector: 'PRIVATE_SECTOR', ngo: 'NGO_PARTNER', government: 'GOVERNMENT_PARTNER', training_provider: 'INSTITUTION_ADMIN', institution: 'INSTITUTION_ADMIN', sponsor: 'SPONSOR_CONTACT', csr_company: 'COMPANY_USER' };
const MEMBER_TITLES: Record<OrgType, string[]> = {
  employer: ['Head of Talent Acquisition', 'HR Business Partner', 'Talent Partner', 'Chief People Officer'],
  private_sector: ['HR Manager', 'Recruitment Lead', 'Operations Manager'],
  ngo: ['Livelihoods Officer', 'Programme Manager', 'Protection Officer'],
  government: ['Employment Services Officer', 'Director of Labour', 'Programme Coordinator'],
  training_provider: ['Training Coordinator', 'Academic Registrar'],
  institution: ['Learnership Administrator', 'Institution Super Admin'],
  sponsor: ['Skills Development Facilitator', 'Sponsorship Manager'],
  csr_company: ['CSR Manager', 'Head of Sustainability', 'Impact Analyst'],
};
const PLANS = [
  { name: 'Trial', tier: 'trial', description: '14-day trial', monthly: 0, annual: 0, credits: 3, users: 1, roles: 1, support: 'basic', features: ['search'] },
  { name: 'Basic', tier: 'basic', description: 'For small HR teams', monthly: 150_000, annual: 1_500_000, credits: 10, users: 2, roles: 3, support: 'standard', features: ['search', 'introductions'] },
  { name: 'Professional', tier: 'professional', description: 'For growing companies', monthly: 450_000, annual: 4_500_000, credits: 40, users: 5, roles: 10, support: 'standard', features: ['search', 'introductions', 'talent_pools', 'confidential_roles'] },
  { name: 'Enterprise', tier: 'enterprise', description: 'For large employers', monthly: 1_200_000, annual: 12_000_000, credits: 150, users: null, roles: null, support: 'priority', features: ['search', 'introductions', 'talent_pools', 'confidential_roles', 'analytics', 'api'] },
] as const;
const ORG_DESCRIPTIONS: Record<OrgType, string> = {
  employer: '{name} is a {industry} employer based in {city}.',
  private_sector: '{name} works in {industry} from {city} and hires locally.',
  ngo: '{name} supports displaced and returning people around {city} with livelihoods and protection services.',
  government: '{name} delivers public employment services in and around {city}.',
  training_provider: '{name} runs vocational and digital courses in {city}.',
  institution: '{name} is a private training institution in {city} running learnerships and internships.',
  sponsor: '{name} sponsors learnership cohorts as part of its skills development plan.',
  csr_company: '{name} funds language, mentoring, buddy and upskilling programmes for newcomers.',
};
const EMAIL_DOMAINS = ['mail.example.com', 'post.example.org', 'inbox.example.net', 'webmail.example.cm', 'mail.example.ng', 'mail.example.co.za'];
const INSTITUTIONS: Record<Region, string[]> = {
  CM: ['Université de Yaoundé I', 'Université de Douala', 'University of Buea', 'Université de Dschang', 'Lycée technique de Bafoussam', 'Centre de formation professionnelle de Garoua'],
  NG: ['University of Lagos', 'University of Ibadan', 'Obafemi Awolowo University', 'Ahmadu Bello University', 'Lagos Business School', 'Yaba College of Technology'],
  ZA: ['University of the Witwatersrand', 'University of Cape Town', 'Tshwane University of Technology', 'Ekurhuleni East TVET College', 'Durban University of Technology'],
  EU: ['Humboldt-Universität zu Berlin', 'Université Lyon 2', 'University of Oslo', 'Universiteit van Amsterdam', 'KU Leuven', 'Volkshochschule Berlin Mitte'],
};
const FIELDS_OF_STUDY = ['Accounting', 'Business Administration', 'Computer Science', 'Civil Engineering', 'Nursing', 'Agriculture', 'Economics', 'Education', 'Electrical Installation', 'Hospitality', 'Logistics', 'Law', 'Public Health', 'Marketing', 'Mechanical Engineering'];
const DEGREE_OF_LEVEL: Record<string, string> = { PRIMARY: 'primary', SECONDARY: 'secondary', VOCATIONAL: 'vocational_certificate', UNDERGRADUATE: 'bachelor', POSTGRADUATE: 'master' };
const DURATION_OF_DEGREE: Record<string, number> = { primary: 6, secondary: 5, vocational_certificate: 2, bachelor: 4, master: 2 };
const CERTIFICATIONS: Array<[string, string]> = [
  ['Forklift Operator Licence', 'National Transport Authority'], ['ICDL Workforce', 'ICDL Foundation'], ['PMP', 'Project Management Institute'],
  ['ACCA', 'Association of Chartered Certified Accountants'], ['ICAN Chartered Accountant', 'Institute of Chartered Accountants of Nigeria'],
  ['First Aid Level 1', 'Red Cross'], ['HACCP Level 2', 'Food Safety Authority'], ['CCNA', 'Cisco'], ['AWS Cloud Practitioner', 'Amazon Web Services'],
  ['Solar PV Installer', 'GIZ Energy Academy'], ['CIPD Level 5', 'Chartered Institute of Personnel and Development'],
];
const PROGRAM_NAMES: Record<string, string> = { buddy: 'Buddy Programme', language: 'Language Café', mentorship: 'Career Mentoring', upskilling: 'Digital Upskilling' };
const PROGRAM_DESCRIPTIONS: Record<string, string> = {
  buddy: 'Newcomers are paired with an employee buddy for a year of practical and social support.',
  language: 'Weekly conversation sessions with volunteer speakers, tracked against CEFR levels.',
  mentorship: 'One-to-one career mentoring by employees towards a first job in the new country.',
  upskilling: 'Funded places on online courses with credentials employers recognise.',
};
/**
 * Default SROI proxies (EUR). Sources are named so a funder can check them; deadweight,
 * attribution and displacement follow the ranges in Social Value International's guidance.
 */
const VALUE_MAP_OUTCOMES = [
  { key: 'employment', description: 'Participant enters paid work', indicator: 'Placements recorded within the period', proxyEur: 14_500, source: 'Annual fiscal saving and earnings gain of a job entry (HACT / national statistics wage data)', deadweight: '0.250', attribution: '0.300', displacement: '0.100', dropOff: '0.200', years: 3 },
  { key: 'language_gain', description: 'Participant gains a CEFR level', indicator: 'CEFR steps gained in language sessions', proxyEur: 1_200, source: 'Cost of an equivalent 60-hour language course (adult education price lists)', deadweight: '0.200', attribution: '0.250', displacement: '0.000', dropOff: '0.100', years: 2 },
  { key: 'job_readiness', description: 'Participant becomes job-ready', indicator: 'Job-readiness score gain ≥ 0.15 over baseline', proxyEur: 2_100, source: 'Cost of a 12-week employability programme (public employment service tender prices)', deadweight: '0.300', attribution: '0.300', displacement: '0.000', dropOff: '0.250', years: 2 },
  { key: 'wellbeing', description: 'Participant reports better wellbeing', indicator: 'Buddy check-ins moving to good or great', proxyEur: 1_800, source: 'Wellbeing valuation of improved life satisfaction (HACT Social Value Bank)', deadweight: '0.200', attribution: '0.400', displacement: '0.000', dropOff: '0.300', years: 1 },
  { key: 'credential', description: 'Participant earns a recognised credential', indicator: 'Course completions with a credential', proxyEur: 950, source: 'Market price of the equivalent certified course', deadweight: '0.150', attribution: '0.200', displacement: '0.050', dropOff: '0.150', years: 3 },
] as const;

