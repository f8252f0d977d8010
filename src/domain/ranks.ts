/**
 * Ordered scales stored as enums in Postgres, as numbers the search engine can range over:
 * "education at least UNDERGRADUATE" and "French at least B2" are range filters on ranks.
 */
export const EDUCATION_LEVELS = ['NO_FORMAL_EDUCATION', 'PRIMARY', 'SECONDARY', 'VOCATIONAL', 'UNDERGRADUATE', 'POSTGRADUATE'] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];
export const EDUCATION_RANK: Record<string, number> = Object.fromEntries(EDUCATION_LEVELS.map((level, rank) => [level, rank]));

export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export type CefrLevel = (typeof CEFR_LEVELS)[number];
export const CEFR_RANK: Record<string, number> = Object.fromEntries(CEFR_LEVELS.map((level, i) => [level, i + 1]));

/**
 * The search terms that say "speaks `code` at `level` or better": one per CEFR level up to
 * `level` ("fr:A1" … "fr:B2" for B2), so a minimum-level filter is one exact term.
 */
export function languageLevelTerms(code: string, level: string | null | undefined): string[] {
  const rank = level ? CEFR_RANK[level] ?? 0 : 0;
  return CEFR_LEVELS.slice(0, rank).map((atLeast) => languageLevelTerm(code, atLeast));
}

export const languageLevelTerm = (code: string, atLeast: string): string => `${code}:${atLeast}`;

/** A named band of a number: [from, to), either end open. */
export interface Band {
  key: string;
  from?: number;
  to?: number;
}

/** Years of experience as the recruiter facet shows them. */
export const EXPERIENCE_BANDS: readonly Band[] = [{ key: '0-1', to: 2 }, { key: '2-4', from: 2, to: 5 }, { key: '5-9', from: 5, to: 10 }, { key: '10+', from: 10 }];

/** The band `value` falls in, or null (no value, or outside every band). */
export function bandOf(value: number | null | undefined, bands: readonly Band[]): string | null {
  if (value === null || value === undefined) return null;
  return bands.find((band) => (band.from === undefined || value >= band.from) && (band.to === undefined || value < band.to))?.key ?? null;
}
