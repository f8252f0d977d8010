/**
 * Social return on investment, one definition for the whole platform, following the Social
 * Value International guide (DESIGN §7):
 *
 *   impact in year 1   = quantity × financial proxy × (1 − deadweight) × (1 − attribution) × (1 − displacement)
 *   impact in year t   = impact in year 1 × (1 − drop-off)^(t − 1),   t = 1 … benefit period
 *   present value      = Σ impact in year t ÷ (1 + discount rate)^t
 *   SROI ratio         = Σ present values ÷ investment
 *   payback (months)   = investment ÷ (Σ impact in year 1 ÷ 12)
 *
 * Sensitivity: each financial proxy alone at −50% and +50% (a tornado; `low`/`high` are its
 * extremes), and a grid of costs × values, each from −50% to +50% in steps of 25%.
 * Pure: no I/O, every input is a parameter, so any stored figure can be recomputed.
 */

export interface OutcomeParameters {
  key: string;
  financialProxy: number;
  deadweight: number;
  attribution: number;
  displacement: number;
  dropOff: number;
  benefitYears: number;
}

export interface SroiInput {
  outcomes: Array<OutcomeParameters & { quantity: number }>;
  discountRate: number;
  investment: number;
}

export interface OutcomeValue {
  key: string;
  quantity: number;
  /** Impact in each year of the benefit period, before discounting. */
  yearValues: number[];
  presentValue: number;
}

export interface SroiResult {
  investment: number;
  presentValue: number;
  /** Null when nothing was invested in the period: a ratio would be meaningless. */
  ratio: number | null;
  paybackMonths: number | null;
  outcomes: OutcomeValue[];
  sensitivity: {
    proxies: Array<{ key: string; low: number | null; high: number | null }>;
    grid: Array<{ costFactor: number; valueFactor: number; ratio: number | null }>;
    low: number | null;
    high: number | null;
  };
}

export const SENSITIVITY_FACTORS = [0.5, 0.75, 1, 1.25, 1.5];

function checkParameters(o: OutcomeParameters & { quantity: number }): void {
  for (const [name, value] of [['deadweight', o.deadweight], ['attribution', o.attribution], ['displacement', o.displacement], ['drop-off', o.dropOff]] as const) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`${o.key}: ${name} must be between 0 and 1 (got ${value})`);
  }
  if (!Number.isInteger(o.benefitYears) || o.benefitYears < 1) throw new RangeError(`${o.key}: the benefit period must be a whole number of years from 1 (got ${o.benefitYears})`);
  if (!(o.quantity >= 0) || !(o.financialProxy >= 0)) throw new RangeError(`${o.key}: quantity and financial proxy must not be negative`);
}

export function outcomeValue(o: OutcomeParameters & { quantity: number }, discountRate: number): OutcomeValue {
  checkParameters(o);
  const first = o.quantity * o.financialProxy * (1 - o.deadweight) * (1 - o.attribution) * (1 - o.displacement);
  const yearValues = Array.from({ length: o.benefitYears }, (_, i) => first * (1 - o.dropOff) ** i);
  const presentValue = yearValues.reduce((sum, value, i) => sum + value / (1 + discountRate) ** (i + 1), 0);
  return { key: o.key, quantity: o.quantity, yearValues, presentValue };
}

const ratioOf = (value: number, investment: number) => (investment > 0 ? value / investment : null);

export function computeSroi(input: SroiInput): SroiResult {
  if (!(input.discountRate >= 0 && input.discountRate < 1)) throw new RangeError(`the discount rate must be in [0, 1) (got ${input.discountRate})`);
  if (!(input.investment >= 0)) throw new RangeError('the investment must not be negative');
  const outcomes = input.outcomes.map((o) => outcomeValue(o, input.discountRate));
  const presentValue = outcomes.reduce((sum, o) => sum + o.presentValue, 0);
  const firstYear = outcomes.reduce((sum, o) => sum + (o.yearValues[0] ?? 0), 0);
  // A proxy scaled by f scales its outcome's present value by f: no need to recompute years.
  const proxies = outcomes.map((o) => ({
    key: o.key,
    low: ratioOf(presentValue - 0.5 * o.presentValue, input.investment),
    high: ratioOf(presentValue + 0.5 * o.presentValue, input.investment),
  }));
  const grid = SENSITIVITY_FACTORS.flatMap((costFactor) => SENSITIVITY_FACTORS.map((valueFactor) => ({
    costFactor, valueFactor, ratio: ratioOf(presentValue * valueFactor, input.investment * costFactor),
  })));
  const lows = proxies.map((p) => p.low).filter((v): v is number => v !== null);
  const highs = proxies.map((p) => p.high).filter((v): v is number => v !== null);
  return {
    investment: input.investment,
    presentValue,
    ratio: ratioOf(presentValue, input.investment),
    paybackMonths: input.investment > 0 && firstYear > 0 ? input.investment / (firstYear / 12) : null,
    outcomes,
    sensitivity: { proxies, grid, low: lows.length ? Math.min(...lows) : null, high: highs.length ? Math.max(...highs) : null },
  };
}
