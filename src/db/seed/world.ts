/**
 * The generated world's shape: sizes planned from the number of candidates, id spaces, and
 * the pure functions (of an index) that let one phase refer to another's rows without
 * keeping them in memory.
 */
import { Random, mix32, stableUuid } from '../../domain/random.js';
import { TableBuffer } from '../copy.js';
import { SKILLS } from './data/skills.js';
import { LOCATIONS } from './data/locations.js';
import { OCCUPATIONS } from './data/occupations.js';
import { FIRST_NAMES, LAST_NAMES } from './data/names.js';
import type { LocationSeed } from './data/types.js';

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

export interface DemoProgress {
  phase: string;
  candidatesDone: number;
  candidatesTotal: number;
  rows: number;
}

export type OrgType = 'employer' | 'ngo' | 'government' | 'private_sector' | 'training_provider' | 'institution' | 'sponsor' | 'csr_company';
export type Region = 'CM' | 'NG' | 'ZA' | 'EU';
export type CandidateType = 'beneficiary' | 'job_seeker' | 'professional' | 'student' | 'participant';

export const ORG_TYPES: OrgType[] = ['employer', 'ngo', 'government', 'private_sector', 'training_provider', 'institution', 'sponsor', 'csr_company'];

/** Id spaces: one per kind of row that others refer to. */
export const K = {
  location: 1, industry: 2, skill: 3, source: 4, role: 5, permission: 6, plan: 7, org: 8, orgUser: 9,
  member: 10, opportunity: 11, oppSkill: 12, user: 13, candidate: 14, consent: 15, cSkill: 16, experience: 17,
  education: 18, language: 19, certification: 20, reference: 21, recommendation: 22, application: 23,
  placement: 24, intro: 25, view: 26, favorite: 27, notifPref: 28, training: 29, cohort: 30, enrollment: 31,
  verification: 32, program: 33, progEnrollment: 34, session: 35, match: 36, buddyEvent: 37, checkin: 38,
  feedback: 39, learning: 40, outcome: 41, evidence: 42, investment: 43, valueMap: 44, valueOutcome: 45,
  subscription: 46, payment: 47, search: 48, event: 49, pool: 50, savedSearch: 51, referral: 52, audit: 53,
  safety: 54, externalId: 55, volunteer: 56, notification: 57, dedup: 58,
} as const;

export const DAY = 86_400_000;
export const BATCH_CANDIDATES = 2_000;

export const REGION_OF_COUNTRY: Record<string, Region> = { CM: 'CM', NG: 'NG', ZA: 'ZA' };
export const CURRENCY: Record<Region, string> = { CM: 'XAF', NG: 'NGN', ZA: 'ZAR', EU: 'EUR' };
/** Typical annual salary bands by region (entry, senior), in local currency. */
export const SALARY: Record<Region, [number, number]> = { CM: [900_000, 30_000_000], NG: [1_800_000, 90_000_000], ZA: [90_000, 2_400_000], EU: [24_000, 180_000] };
export const PHONE_PREFIX: Record<Region, string> = { CM: '+2376', NG: '+2348', ZA: '+277', EU: '+491' };

export const EDUCATION = ['NO_FORMAL_EDUCATION', 'PRIMARY', 'SECONDARY', 'VOCATIONAL', 'UNDERGRADUATE', 'POSTGRADUATE'] as const;
export const CATEGORIES = ['RETURNING_MIGRANT', 'IDP', 'FORMER_ARMED_GROUP_MEMBER', 'AFFECTED_COMMUNITY', 'CROSS_BORDER_TRADER', 'DIASPORA_MEMBER'] as const;
export const OPPORTUNITY_TYPES = ['PERMANENT_EMPLOYMENT', 'TEMPORARY_EMPLOYMENT', 'INTERNSHIP', 'APPRENTICESHIP', 'ENTREPRENEURSHIP', 'VOCATIONAL_TRAINING', 'PROFESSIONAL_CERTIFICATION', 'BUSINESS_GRANT', 'MICRO_CREDIT'] as const;
export const SENIOR = new Set(['senior', 'lead', 'director', 'vp', 'c_suite', 'executive']);
export const EXECUTIVE = new Set(['director', 'vp', 'c_suite', 'executive']);
export const CEFR = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;

export const LANGUAGES_BY_REGION: Record<Region, Array<[string, number]>> = {
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

export const iso = (ms: number) => new Date(ms).toISOString();
export const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const slugify = (text: string) => text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
export const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));
export const roundTo = (value: number, step: number) => Math.round(value / step) * step;

export interface CandidateProfile {
  region: Region;
  type: CandidateType;
  occupation: number;
  location: number;
}

export class DemoWorld {
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

export function regionOf(loc: LocationSeed): Region {
  return REGION_OF_COUNTRY[loc.country] ?? 'EU';
}

export const VOLUNTEERS_PER_CSR = 12;

/** A COPY buffer for `table` with the given comma-separated columns. */
export const t = (table: string, columns: string) => new TableBuffer(table, columns.split(',').map((c) => c.trim()));

export const USER_COLUMNS = 'id, email, phone, first_name, last_name, user_type, status, preferred_language, email_verified, phone_verified, profile_completion_pct, last_login_at, last_active_at, created_at, updated_at';
