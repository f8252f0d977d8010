/**
 * The O*NET matching benchmark, built in memory from ../shared/data/onet (read from there,
 * never copied): opportunities and candidates for a sample of occupations, their hard
 * constraints, the encoder's leak-free training pairs, and graded relevance.
 *
 * - Each occupation's alternate titles are shuffled with the seed and split in two halves:
 *   opportunities take their titles from the first ("job") half, candidates from the second.
 *   Task statements are split the same way (opportunity descriptions / candidate summaries).
 * - The encoder may learn from the job half only (alternate title ↔ occupation, task ↔
 *   occupation, opportunity title ↔ skills and ↔ description) and from occupation ↔
 *   technology skills (the shared skill vocabulary): no candidate title or summary is ever a
 *   training text, so the candidate side of both directions is unseen.
 * - Skills come from the occupation's Technology Skills (Hot Technology first) and Tools Used,
 *   with noise (a candidate lists a random subset and a couple of unrelated skills); titles
 *   carry typos; education follows the occupation's Required Level of Education distribution
 *   and experience its Job Zone.
 * - Some opportunities are closed, expired, unpublished, or reserved for categories, and
 *   people and jobs are spread over cities with a mobility each, so the hard constraints are
 *   exercised; a pair that breaks one has relevance 0 (it must not be shown at all).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Random } from '../src/domain/random.js';
import { distanceKm } from '../src/domain/geo.js';
import { EDUCATION_RANK } from '../src/domain/ranks.js';
import { grade, relatedIndex, type RelatedIndex } from '../src/matching/evaluate.js';
import { reachKm } from '../src/matching/features.js';
import type { TextPair } from '../src/matching/train-encoder.js';

export const CITIES = [
  { city: 'New York', region: 'NY', lat: 40.7128, lon: -74.006 },
  { city: 'Philadelphia', region: 'PA', lat: 39.9526, lon: -75.1652 },
  { city: 'Boston', region: 'MA', lat: 42.3601, lon: -71.0589 },
  { city: 'Washington', region: 'DC', lat: 38.9072, lon: -77.0369 },
  { city: 'Chicago', region: 'IL', lat: 41.8781, lon: -87.6298 },
  { city: 'Atlanta', region: 'GA', lat: 33.749, lon: -84.388 },
  { city: 'Denver', region: 'CO', lat: 39.7392, lon: -104.9903 },
  { city: 'Seattle', region: 'WA', lat: 47.6062, lon: -122.3321 },
] as const;

export const CATEGORIES = ['RETURNING_MIGRANT', 'IDP', 'FORMER_ARMED_GROUP_MEMBER', 'AFFECTED_COMMUNITY', 'CROSS_BORDER_TRADER', 'DIASPORA_MEMBER'] as const;

/** O*NET Required Level of Education categories (1–12) → the platform's education levels. */
const RL_LEVEL = ['PRIMARY', 'SECONDARY', 'VOCATIONAL', 'VOCATIONAL', 'VOCATIONAL', 'UNDERGRADUATE', 'UNDERGRADUATE', 'POSTGRADUATE', 'POSTGRADUATE', 'POSTGRADUATE', 'POSTGRADUATE', 'POSTGRADUATE'] as const;
/** Job Zone → the least experience an opportunity of that zone asks, in years. */
const ZONE_MIN_YEARS: Record<number, number> = { 1: 0, 2: 1, 3: 2, 4: 4, 5: 5 };

export interface Occupation {
  soc: string;
  title: string;
  jobTitles: string[];
  candidateTitles: string[];
  jobTasks: string[];
  candidateTasks: string[];
  /** Skill labels, most characteristic first. */
  skills: string[];
  /** Probability of each education level (by RL_LEVEL), or empty when O*NET has none. */
  education: Array<{ level: string; p: number }>;
  zone: number;
}

export interface BenchOpportunity {
  id: string;
  soc: string;
  title: string;
  description: string;
  requiredSkills: string[];
  preferredSkills: string[];
  requiredEducation: string | null;
  experienceMin: number | null;
  experienceMax: number | null;
  city: number;
  remote: 'on_site' | 'hybrid' | 'remote';
  status: 'active' | 'closed' | 'draft';
  publishedAt: Date | null;
  deadline: Date | null;
  eligibleCategories: string[];
  isForVulnerable: boolean;
  organization: number;
}

export interface BenchCandidate {
  id: string;
  soc: string;
  title: string;
  pastTitle: string | null;
  summary: string;
  /** Skill labels, with whether the person declared them (else inferred from history). */
  skills: Array<{ label: string; declared: boolean }>;
  educationLevel: string;
  years: number;
  city: number;
  mobility: 'local' | 'regional' | 'national' | 'international';
  category: string | null;
}

export interface Benchmark {
  /** The moment the benchmark is built for: publication dates and deadlines are relative to it. */
  asOf: Date;
  occupations: Occupation[];
  opportunities: BenchOpportunity[];
  candidates: BenchCandidate[];
  /** Every skill label used, slug → label. */
  skills: Map<string, string>;
  related: RelatedIndex;
  trainingPairs: TextPair[];
}

export interface BenchmarkOptions {
  seed: number;
  /**
   * The evaluation's "now". Every date is relative to it, so the figures depend on the seed
   * only; the API serves with the wall clock, so a run passes (about) the current time.
   */
  asOf: Date;
  occupations: number;
  perOccupation: number;
}

async function readTable(dir: string, file: string): Promise<Array<Record<string, string>>> {
  const text = await readFile(path.join(dir, file), 'utf8');
  const [header, ...lines] = text.split(/\r?\n/).filter(Boolean);
  const columns = header!.split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((value, i) => [columns[i]!, value])));
}

export const slugOf = (label: string): string => label.toLowerCase().replace(/\+/g, ' plus ').replace(/#/g, ' sharp ').normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 90).replace(/-+$/, '');

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** One typo in one word of at least five letters: a dropped, doubled or swapped letter. */
export function typo(text: string, random: Random): string {
  const words = text.split(' ');
  const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => /^[A-Za-z]{5,}$/.test(w));
  if (candidates.length === 0) return text;
  const [word, index] = random.pick(candidates);
  const at = random.int(1, word.length - 2);
  const kind = random.int(0, 2);
  words[index] = kind === 0 ? word.slice(0, at) + word.slice(at + 1)
    : kind === 1 ? word.slice(0, at) + word[at] + word.slice(at)
      : word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  return words.join(' ');
}

/** A deterministic UUID (v4 layout) from the seeded stream, so ties break the same way every run. */
function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => random.int(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[random.int(0, 3)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export async function buildBenchmark(dir: string, options: BenchmarkOptions): Promise<Benchmark> {
  const random = new Random(options.seed);
  const AS_OF = options.asOf;
  const [occupationRows, titleRows, taskRows, techRows, toolRows, educationRows, zoneRows, relatedRows] = await Promise.all([
    'Occupation Data.txt', 'Alternate Titles.txt', 'Task Statements.txt', 'Technology Skills.txt', 'Tools Used.txt',
    'Education, Training, and Experience.txt', 'Job Zones.txt', 'Related Occupations.txt',
  ].map((file) => readTable(dir, file)));
  const group = <T>(rows: Array<Record<string, string>>, value: (row: Record<string, string>) => T | undefined) => {
    const by = new Map<string, T[]>();
    for (const row of rows) {
      const v = value(row);
      if (v === undefined) continue;
      const soc = row['O*NET-SOC Code']!;
      by.set(soc, [...(by.get(soc) ?? []), v]);
    }
    return by;
  };
  const titles = group(titleRows, (r) => r['Alternate Title'] || undefined);
  const tasks = group(taskRows, (r) => r.Task || undefined);
  const tech = group(techRows, (r) => ({ label: r.Example!, hot: r['Hot Technology'] === 'Y' }));
  const tools = group(toolRows, (r) => r.Example || undefined);
  const education = group(educationRows, (r) => (r['Scale ID'] === 'RL' ? { category: Number(r.Category), p: Number(r['Data Value']) } : undefined));
  const zones = new Map(zoneRows.map((r) => [r['O*NET-SOC Code']!, Number(r['Job Zone'])]));
  const related = relatedIndex(relatedRows.map((r) => ({ from: r['O*NET-SOC Code']!, to: r['Related O*NET-SOC Code']!, tier: r['Relatedness Tier']! })));

  // Every occupation gets its halves (the encoder trains on every occupation's job half).
  const all: Occupation[] = [];
  for (const row of occupationRows) {
    const soc = row['O*NET-SOC Code']!;
    const ownTitles = shuffled([...new Set(titles.get(soc) ?? [])].filter((t) => t.length <= 140), random);
    const ownTasks = shuffled(tasks.get(soc) ?? [], random);
    const half = Math.ceil(ownTitles.length / 2);
    const taskHalf = Math.ceil(ownTasks.length / 2);
    const techSkills = tech.get(soc) ?? [];
    const skillLabels = [...new Set([
      ...techSkills.filter((s) => s.hot).map((s) => s.label), ...techSkills.filter((s) => !s.hot).map((s) => s.label),
    ].slice(0, 12).concat((tools.get(soc) ?? []).slice(0, 8)))].filter((l) => l.length <= 100 && slugOf(l).length > 0);
    const rl = (education.get(soc) ?? []).filter((e) => e.category >= 1 && e.category <= 12);
    const levels = new Map<string, number>();
    for (const { category, p } of rl) levels.set(RL_LEVEL[category - 1]!, (levels.get(RL_LEVEL[category - 1]!) ?? 0) + p);
    all.push({
      soc, title: row.Title!,
      jobTitles: ownTitles.slice(0, half), candidateTitles: ownTitles.slice(half),
      jobTasks: ownTasks.slice(0, taskHalf), candidateTasks: ownTasks.slice(taskHalf),
      skills: skillLabels,
      education: [...levels].filter(([, p]) => p > 0).map(([level, p]) => ({ level, p })),
      zone: zones.get(soc) ?? 3,
    });
  }
  // The evaluated occupations: enough titles, tasks and skills to build both sides from.
  const usable = all.filter((o) => o.candidateTitles.length >= 3 && o.jobTasks.length >= 3 && o.candidateTasks.length >= 2 && o.skills.length >= 6);
  const occupations = shuffled(usable, random).slice(0, options.occupations).sort((a, b) => a.soc.localeCompare(b.soc));

  const skills = new Map<string, string>();
  for (const o of occupations) for (const label of o.skills) if (!skills.has(slugOf(label))) skills.set(slugOf(label), label);
  const allSkillLabels = [...skills.values()];
  const slug = (label: string) => slugOf(label);
  const educationOf = (o: Occupation, r: Random) => (o.education.length ? r.weighted(o.education.map((e) => e.level), o.education.map((e) => e.p)) : 'SECONDARY');
  /** The level most people in the occupation reach: the lowest with ≥ 25 % at or below it. */
  const typicalMinimum = (o: Occupation) => {
    let cumulative = 0;
    const total = o.education.reduce((s, e) => s + e.p, 0);
    for (const e of [...o.education].sort((a, b) => EDUCATION_RANK[a.level]! - EDUCATION_RANK[b.level]!)) {
      cumulative += e.p;
      if (cumulative >= 0.25 * total) return e.level;
    }
    return null;
  };

  const opportunities: BenchOpportunity[] = [];
  const candidates: BenchCandidate[] = [];
  const ids = new Random(options.seed, 1);
  for (const o of occupations) {
    for (let i = 0; i < options.perOccupation; i++) {
      const pool = o.skills;
      const required = random.sample(pool.slice(0, 10), random.int(3, 5));
      const preferred = random.sample(pool.filter((s) => !required.includes(s)), 2);
      const state = random.weighted(['open', 'closed', 'expired', 'future', 'draft'], [86, 4, 4, 3, 3]);
      const publishedAt = state === 'draft' ? null : new Date(AS_OF.getTime() + (state === 'future' ? 5 : -random.int(1, 60)) * 86_400_000);
      const deadline = state === 'expired' ? new Date(AS_OF.getTime() - 3 * 86_400_000) : random.chance(0.5) ? new Date(AS_OF.getTime() + random.int(5, 60) * 86_400_000) : null;
      const restricted = random.chance(0.08);
      const minYears = ZONE_MIN_YEARS[o.zone] ?? 2;
      opportunities.push({
        id: uuid(ids), soc: o.soc,
        title: random.chance(0.2) ? typo(random.pick(o.jobTitles), random) : random.pick(o.jobTitles),
        description: random.sample(o.jobTasks, Math.min(3, o.jobTasks.length)).join(' '),
        requiredSkills: [...new Set(required.map(slug))], preferredSkills: [...new Set(preferred.map(slug))].filter((s) => !required.map(slug).includes(s)),
        requiredEducation: random.chance(0.5) ? typicalMinimum(o) : null,
        experienceMin: random.chance(0.6) ? minYears : null,
        experienceMax: null,
        city: random.int(0, CITIES.length - 1),
        remote: random.weighted(['on_site', 'hybrid', 'remote'] as const, [6, 2, 2]),
        status: state === 'closed' ? 'closed' : state === 'draft' ? 'draft' : 'active',
        publishedAt, deadline,
        eligibleCategories: restricted ? [random.pick(CATEGORIES)] : [],
        isForVulnerable: !restricted && random.chance(0.05),
        organization: random.int(0, 19),
      });
    }
    for (let i = 0; i < options.perOccupation; i++) {
      // Noise: a random subset of the occupation's skills, one or two unrelated ones, and
      // about one in five inferred rather than declared.
      const own = random.sample(o.skills, random.int(4, Math.min(8, o.skills.length)));
      const noise = random.sample(allSkillLabels.filter((l) => !own.includes(l)), random.int(1, 2));
      const beneficiary = random.chance(0.5);
      const minYears = ZONE_MIN_YEARS[o.zone] ?? 2;
      candidates.push({
        id: uuid(ids), soc: o.soc,
        title: random.chance(0.3) ? typo(random.pick(o.candidateTitles), random) : random.pick(o.candidateTitles),
        pastTitle: random.chance(0.5) ? random.pick(o.candidateTitles) : null,
        summary: random.sample(o.candidateTasks, Math.min(2, o.candidateTasks.length)).join(' '),
        skills: [...own, ...noise].map((label) => ({ label, declared: random.chance(0.8) })),
        educationLevel: educationOf(o, random),
        years: Math.round(random.normal(minYears + 3, 3, 0, 40)),
        city: random.int(0, CITIES.length - 1),
        mobility: random.weighted(['local', 'regional', 'national', 'international'] as const, [2, 3, 4, 1]),
        category: beneficiary ? random.pick(CATEGORIES) : null,
      });
    }
  }

  const trainingPairs: TextPair[] = [];
  for (const o of all) {
    for (const title of o.jobTitles) trainingPairs.push({ a: title, b: o.title, source: 'O*NET alternate title (job half) ↔ occupation' });
    for (const task of o.jobTasks) trainingPairs.push({ a: task, b: o.title, source: 'O*NET task (job half) ↔ occupation' });
    const examples = [...new Set([...(tech.get(o.soc) ?? []).map((t) => t.label)])];
    for (let i = 0; i < examples.length; i += 6) trainingPairs.push({ a: o.title, b: examples.slice(i, i + 6).join(', '), source: 'O*NET occupation ↔ technology skills' });
  }
  for (const op of opportunities) {
    trainingPairs.push({ a: op.title, b: [...op.requiredSkills, ...op.preferredSkills].map((s) => skills.get(s)!).join(', '), source: 'opportunity title ↔ skills' });
    trainingPairs.push({ a: op.title, b: op.description.slice(0, 400), source: 'opportunity title ↔ description' });
  }
  return { asOf: AS_OF, occupations, opportunities, candidates, skills, related, trainingPairs };
}

/** Whether the opportunity is open as of `now`: active, published, deadline not passed. */
export const isOpen = (o: BenchOpportunity, now: Date): boolean =>
  o.status === 'active' && o.publishedAt !== null && o.publishedAt <= now && (o.deadline === null || o.deadline >= now);

/**
 * Which hard constraint a pair breaks, computed from the benchmark's own rows (independently
 * of the engine and the ranker): status/deadline, eligibility, mandatory education, or
 * radius (the candidate's mobility) unless remote. Null when none.
 */
export function violation(c: BenchCandidate, o: BenchOpportunity, now: Date): string | null {
  if (!isOpen(o, now)) return 'status';
  if (o.eligibleCategories.length > 0 && !(c.category && o.eligibleCategories.includes(c.category))) return 'eligibility';
  if (o.isForVulnerable && !c.category) return 'eligibility';
  if (o.requiredEducation && EDUCATION_RANK[c.educationLevel]! < EDUCATION_RANK[o.requiredEducation]!) return 'education';
  const reach = reachKm(c.mobility);
  if (o.remote !== 'remote' && reach !== null && distanceKm(CITIES[c.city]!, CITIES[o.city]!) > reach) return 'radius';
  return null;
}

/** The graded relevance of a pair: the O*NET grade, or 0 when a hard constraint forbids showing it. */
export function pairGrade(bench: Benchmark, c: BenchCandidate, o: BenchOpportunity, now: Date): number {
  return violation(c, o, now) ? 0 : grade(c.soc, o.soc, bench.related);
}
