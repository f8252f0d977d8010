/**
 * Rerank features (DESIGN §6), each scaled to 0–1, for one candidate and one opportunity
 * (both as their search documents), and the hand-set weights the ranker starts from. Pure.
 */
import { distanceKm } from '../domain/geo.js';
import { CEFR_RANK, EDUCATION_RANK } from '../domain/ranks.js';
import { countSkills, type MatchFacts, type Language, type Audience } from '../domain/chips.js';
import { cosine } from './encoder.js';

export const FEATURES = ['similarity', 'text', 'skills', 'preferred', 'distance', 'education', 'experience', 'salary', 'freshness'] as const;
export type Feature = (typeof FEATURES)[number];
export type Features = Record<Feature, number>;

/**
 * Where the ranker starts before it learns from the recommendation lifecycle. Relevance
 * first: the embedding similarity and the text score carry what the job is, so they weigh
 * most; skill overlap is noisy (people list a subset, and common tools such as spreadsheets
 * are shared by many occupations); the context features mostly break ties among the relevant,
 * since reach, eligibility and education are already hard filters. The O*NET evaluation
 * (`npm run eval -- onet`) moved them here from { similarity 0.22, text 0.1, skills 0.3,
 * preferred 0.05, distance 0.1, education 0.03, experience 0.08, salary 0.05, freshness 0.07 },
 * which ranked no better than the BM25 leg alone.
 */
export const HAND_SET_WEIGHTS: Features = { similarity: 0.4, text: 0.2, skills: 0.16, preferred: 0.03, distance: 0.06, education: 0.02, experience: 0.04, salary: 0.03, freshness: 0.06 };

/** How far a person will go, by their declared mobility (remote opportunities always fit). */
export const MOBILITY_KM: Record<string, number | null> = { local: 50, regional: 200, national: 1500, international: null };

/**
 * A person's reach in km (null: anywhere), 200 when their mobility is unknown. Not
 * `MOBILITY_KM[m] ?? 200`: that turns an international mover's "anywhere" (null) into 200 km.
 */
export const reachKm = (mobility: unknown): number | null => (typeof mobility === 'string' && mobility in MOBILITY_KM ? MOBILITY_KM[mobility] ?? null : 200);

type Doc = Record<string, any>;
type Point = { lat: number; lon: number };

export interface PairInput {
  candidate: Doc;
  opportunity: Doc;
  candidateVector?: Float32Array;
  opportunityVector?: Float32Array;
  /** Cosine similarity computed by the engine (used instead of the vectors when given). */
  similarity?: number;
  /** The engine's text score, already divided by the best in the retrieved set. */
  textScore: number;
  now: Date;
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));

function candidateSkills(candidate: Doc) {
  return ((candidate.skills ?? []) as Array<{ slug: string; label: string; declared?: boolean }>).map((s) => ({ slug: s.slug, label: s.label, declared: s.declared !== false }));
}

/** A skill's display name by slug (the API passes the skills taxonomy's). */
export type SkillLabel = (slug: string) => string | undefined;

function opportunitySkills(opportunity: Doc, labels: SkillLabel, key: 'required_skills' | 'preferred_skills') {
  return ((opportunity[key] ?? []) as string[]).map((slug) => ({ slug, label: labels(slug) ?? slug.replace(/-/g, ' ') }));
}

export function pairDistance(candidate: Doc, opportunity: Doc): number | null {
  const a = candidate.location as Point | null | undefined;
  const b = opportunity.location as Point | null | undefined;
  return a && b ? distanceKm(a, b) : null;
}

export function features(input: PairInput, labels: SkillLabel): Features {
  const { candidate, opportunity } = input;
  const skills = countSkills({ requiredSkills: opportunitySkills(opportunity, labels, 'required_skills'), preferredSkills: opportunitySkills(opportunity, labels, 'preferred_skills'), candidateSkills: candidateSkills(candidate) });
  const held = new Map(candidateSkills(candidate).map((s) => [s.slug, s]));
  // Inferred skills count for less than declared ones.
  const skillScore = skills.required === 0 ? 0.5 : ((opportunity.required_skills ?? []) as string[]).reduce((sum, slug) => sum + (held.has(slug) ? (held.get(slug)!.declared ? 1 : 0.7) : 0), 0) / skills.required;
  const preferredCount = ((opportunity.preferred_skills ?? []) as string[]).length;
  const remote = opportunity.remote_option === 'remote';
  const km = pairDistance(candidate, opportunity);
  const reach = reachKm(candidate.mobility);
  const required = opportunity.required_education ? EDUCATION_RANK[opportunity.required_education] ?? null : null;
  const heldEducation = candidate.education_level ? EDUCATION_RANK[candidate.education_level] ?? null : null;
  const years = candidate.experience_years as number | null;
  const min = opportunity.experience_min_years as number | null;
  const max = opportunity.experience_max_years as number | null;
  const experience = years === null || years === undefined || (min === null && max === null) ? 0.5
    : min !== null && years < min ? clamp(1 - (min - years) / 3) : max !== null && years > max + 2 ? 0.7 : 1;
  const salary = opportunity.salary_max == null || candidate.salary_min == null || opportunity.salary_currency !== candidate.salary_currency ? 0.5
    : candidate.salary_min <= opportunity.salary_max ? 1 : clamp(1 - (candidate.salary_min - opportunity.salary_max) / Math.max(1, opportunity.salary_max));
  const published = opportunity.published_at ? Date.parse(opportunity.published_at) : NaN;
  const days = Number.isNaN(published) ? null : (input.now.getTime() - published) / 86_400_000;
  return {
    similarity: input.similarity !== undefined ? clamp(input.similarity) : input.candidateVector && input.opportunityVector ? clamp(cosine(input.candidateVector, input.opportunityVector)) : 0,
    text: clamp(input.textScore),
    skills: clamp(skillScore),
    preferred: preferredCount === 0 ? 0 : skills.preferredMatched / preferredCount,
    distance: remote ? 1 : km === null ? 0.5 : reach === null ? 1 - clamp(km / 5000) * 0.5 : clamp(1 - km / reach),
    education: required === null || (heldEducation !== null && heldEducation >= required) ? 1 : 0,
    experience,
    salary,
    freshness: days === null ? 0.3 : Math.exp(-Math.max(0, days) / 30),
  };
}

export function scoreOf(values: Features, weights: Features = HAND_SET_WEIGHTS): number {
  let total = 0;
  let sum = 0;
  for (const feature of FEATURES) {
    total += weights[feature];
    sum += weights[feature] * values[feature];
  }
  return total > 0 ? sum / total : 0;
}

/** The facts the chips are written from, for this pair. */
export function matchFacts(input: PairInput, labels: SkillLabel, score: number, audience: Audience, language: Language, weights: Features = HAND_SET_WEIGHTS): MatchFacts {
  const { candidate, opportunity } = input;
  const required = opportunity.required_education ? EDUCATION_RANK[opportunity.required_education] ?? null : null;
  const languages = ((candidate.languages ?? []) as Array<{ code: string; level: string }>);
  const wanted = opportunity.language ? [opportunity.language as string] : [];
  const speaks = (code: string) => languages.some((l) => l.code === code && (CEFR_RANK[l.level] ?? 0) >= CEFR_RANK.B1!);
  const eligibleCategories = (opportunity.eligible_categories ?? []) as string[];
  const activeDays = audience === 'beneficiary' ? opportunity.published_at : candidate.last_active_at;
  return {
    audience, language,
    requiredSkills: opportunitySkills(opportunity, labels, 'required_skills'),
    preferredSkills: opportunitySkills(opportunity, labels, 'preferred_skills'),
    candidateSkills: candidateSkills(candidate),
    distanceKm: pairDistance(candidate, opportunity),
    remote: opportunity.remote_option === 'remote',
    educationRequired: opportunity.required_education ?? null,
    educationRank: { required, held: candidate.education_level ? EDUCATION_RANK[candidate.education_level] ?? null : null },
    experience: { min: opportunity.experience_min_years ?? null, max: opportunity.experience_max_years ?? null, held: candidate.experience_years ?? null },
    salary: { offeredMax: opportunity.salary_max ?? null, expectedMin: candidate.salary_min ?? null, sameCurrency: !!opportunity.salary_currency && opportunity.salary_currency === candidate.salary_currency },
    noticeDays: candidate.notice_period_days ?? null,
    languages: { met: wanted.filter(speaks), missing: wanted.filter((c) => !speaks(c)) },
    freshnessDays: activeDays ? Math.floor((input.now.getTime() - Date.parse(activeDays)) / 86_400_000) : null,
    eligibleByCategory: eligibleCategories.length > 0 || opportunity.is_for_vulnerable === true,
    score,
    weights: { skills: weights.skills, distance: weights.distance, remote: weights.distance, education: weights.education, experience: weights.experience, salary: weights.salary, freshness: weights.freshness, preferred_skills: weights.preferred },
  };
}
