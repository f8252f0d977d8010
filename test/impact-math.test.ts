/**
 * SROI and VIS arithmetic. The worked SROI example is computed here by hand, written out
 * year by year, independently of the engine's loops, and checked against a figure computed
 * once more outside the project (5.2255).
 */
import { expect } from 'chai';
import { computeSroi } from '../src/domain/sroi.js';
import { computeVis } from '../src/domain/vis.js';

describe('SROI', () => {
  // A company invests 10,000 cash, 2,000 in kind and 100 volunteer hours valued at 25.
  const investment = 10_000 + 2_000 + 100 * 25; // 14,500
  const employment = { key: 'employment', quantity: 4, financialProxy: 14_500, deadweight: 0.25, attribution: 0.3, displacement: 0.1, dropOff: 0.2, benefitYears: 3 };
  const language = { key: 'language_gain', quantity: 10, financialProxy: 1_200, deadweight: 0.2, attribution: 0.25, displacement: 0, dropOff: 0.1, benefitYears: 2 };
  const result = computeSroi({ outcomes: [employment, language], discountRate: 0.035, investment });

  // Employment: 4 × 14,500 × 0.75 × 0.70 × 0.90 = 27,405 in year 1, then −20% a year.
  const e1 = 4 * 14_500 * 0.75 * 0.7 * 0.9;
  const e2 = e1 * 0.8;
  const e3 = e1 * 0.8 * 0.8;
  const employmentPv = e1 / 1.035 + e2 / (1.035 * 1.035) + e3 / (1.035 * 1.035 * 1.035);
  // Language: 10 × 1,200 × 0.80 × 0.75 × 1.00 = 7,200 in year 1, then −10%.
  const l1 = 10 * 1_200 * 0.8 * 0.75;
  const languagePv = l1 / 1.035 + (l1 * 0.9) / (1.035 * 1.035);

  it('computes the worked example: present values, ratio and payback', () => {
    expect(e1).to.be.closeTo(27_405, 1e-6);
    expect(result.outcomes[0]!.yearValues).to.have.length(3);
    expect(result.outcomes[0]!.presentValue).to.be.closeTo(employmentPv, 1e-6);
    expect(result.outcomes[1]!.presentValue).to.be.closeTo(languagePv, 1e-6);
    expect(result.ratio).to.be.closeTo((employmentPv + languagePv) / investment, 1e-9);
    expect(result.ratio).to.be.closeTo(5.2255, 1e-4);
    // Payback: 14,500 ÷ ((27,405 + 7,200) ÷ 12) months.
    expect(result.paybackMonths).to.be.closeTo(investment / ((e1 + l1) / 12), 1e-9);
  });

  it('reports a tornado of each proxy at ±50% and a costs × values grid', () => {
    const tornado = result.sensitivity.proxies.find((p) => p.key === 'employment')!;
    expect(tornado.low).to.be.closeTo((employmentPv * 0.5 + languagePv) / investment, 1e-9);
    expect(tornado.high).to.be.closeTo((employmentPv * 1.5 + languagePv) / investment, 1e-9);
    expect(result.sensitivity.low).to.equal(tornado.low);
    expect(result.sensitivity.high).to.equal(tornado.high);
    expect(result.sensitivity.grid).to.have.length(25);
    const worst = result.sensitivity.grid.find((g) => g.costFactor === 1.5 && g.valueFactor === 0.5)!;
    expect(worst.ratio).to.be.closeTo(((employmentPv + languagePv) * 0.5) / (investment * 1.5), 1e-9);
  });

  it('gives no ratio without investment, and refuses impossible parameters', () => {
    expect(computeSroi({ outcomes: [employment], discountRate: 0.035, investment: 0 }).ratio).to.equal(null);
    expect(() => computeSroi({ outcomes: [{ ...employment, deadweight: 1.2 }], discountRate: 0.035, investment })).to.throw(RangeError, /deadweight/);
    expect(() => computeSroi({ outcomes: [{ ...employment, benefitYears: 0 }], discountRate: 0.035, investment })).to.throw(RangeError, /benefit period/);
  });
});

describe('VIS', () => {
  it('weights hours, quality, lift and placements, and rescales when a component has no data', () => {
    const full = computeVis({ volunteers: 2, volunteerHours: 48, periodMonths: 3, averageRating: 1, outcomeLift: 0.25, participants: 8, placements: 2 });
    expect(full.score).to.equal(100);
    // Hours 24/vol over 3 months = 8/month → 1; rating 0.5 (of 1) → 0.5; lift 0.1 → 0.4; placements 1/8 → 0.5.
    const mixed = computeVis({ volunteers: 2, volunteerHours: 48, periodMonths: 3, averageRating: 0.5, outcomeLift: 0.1, participants: 8, placements: 1 });
    expect(mixed.score).to.equal(Math.round((0.25 * 1 + 0.25 * 0.5 + 0.3 * 0.4 + 0.2 * 0.5) * 10_000) / 100);
    const unrated = computeVis({ volunteers: 2, volunteerHours: 48, periodMonths: 3, averageRating: null, outcomeLift: 0.1, participants: 8, placements: 1 });
    expect(unrated.score).to.equal(Math.round(((0.25 * 1 + 0.3 * 0.4 + 0.2 * 0.5) / 0.75) * 10_000) / 100);
    expect(computeVis({ volunteers: 0, volunteerHours: 0, periodMonths: 1, averageRating: null, outcomeLift: null, participants: 3, placements: 0 }).score).to.equal(null);
  });
});
