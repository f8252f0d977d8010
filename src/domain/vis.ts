/**
 * The volunteer impact score (VIS), 0–100, defined by this project (DESIGN §7). Four
 * components, each scaled to 0–1 against a stated "full marks" level, then weighted:
 *
 * | component        | weight | full marks at                                             |
 * | ---------------- | -----: | --------------------------------------------------------- |
 * | volunteer hours  |   0.25 | 8 hours per volunteer per month (two hours a week)        |
 * | session quality  |   0.25 | an average session rating of 1 (sessions are rated 0–1)   |
 * | outcome lift     |   0.30 | participants' outcome scores 0.25 above their baseline    |
 * | placement rate   |   0.20 | a quarter of participants placed in the period            |
 *
 * A component without data (no rated session, no scored participant) is left out and the
 * weights of the others are scaled up to sum to 1, so a company is not marked down for what
 * it does not measure; with no volunteers at all there is no score (null).
 */

export const VIS_WEIGHTS = { hours: 0.25, quality: 0.25, lift: 0.3, placement: 0.2 } as const;
export const VIS_FULL_MARKS = { hoursPerVolunteerMonth: 8, rating: 1, lift: 0.25, placementRate: 0.25 } as const;

export interface VisInput {
  volunteers: number;
  volunteerHours: number;
  /** Length of the period in months (1, 3, 12). */
  periodMonths: number;
  /** Average session rating on the sessions' 0–1 scale, or null when no session was rated. */
  averageRating: number | null;
  /** Average gain of participants' outcome scores over their baseline, or null. */
  outcomeLift: number | null;
  participants: number;
  placements: number;
}

export interface VisResult {
  score: number | null;
  components: Record<keyof typeof VIS_WEIGHTS, number | null>;
}

const clamp = (value: number) => Math.min(1, Math.max(0, value));

export function computeVis(input: VisInput): VisResult {
  const components: VisResult['components'] = {
    hours: input.volunteers > 0 ? clamp(input.volunteerHours / input.volunteers / input.periodMonths / VIS_FULL_MARKS.hoursPerVolunteerMonth) : null,
    quality: input.averageRating === null ? null : clamp(input.averageRating / VIS_FULL_MARKS.rating),
    lift: input.outcomeLift === null ? null : clamp(input.outcomeLift / VIS_FULL_MARKS.lift),
    placement: input.participants > 0 ? clamp(input.placements / input.participants / VIS_FULL_MARKS.placementRate) : null,
  };
  if (input.volunteers === 0) return { score: null, components };
  let weight = 0;
  let sum = 0;
  for (const key of Object.keys(VIS_WEIGHTS) as Array<keyof typeof VIS_WEIGHTS>) {
    const value = components[key];
    if (value === null) continue;
    weight += VIS_WEIGHTS[key];
    sum += VIS_WEIGHTS[key] * value;
  }
  return { score: weight > 0 ? Math.round((sum / weight) * 10_000) / 100 : null, components };
}
