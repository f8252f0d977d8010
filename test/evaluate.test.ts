/**
 * The evaluation's metric code on hand-computed examples (nDCG@10 with gain 2^g − 1, capped
 * Recall@k, MRR, retrieval coverage, exposure) and O*NET relevance grading on a tiny fixture
 * of Related Occupations rows. Pure: no O*NET files, no services.
 */
import { expect } from 'chai';
import { coverage, dcg, discount, exposureByGroup, grade, mean, minorGroup, ndcgAt, recallAt, reciprocalRank, relatedIndex } from '../src/matching/evaluate.js';

describe('evaluation metrics', () => {
  it('computes DCG and nDCG@10 against the ideal ordering of every judged item', () => {
    // 7/log2(2) + 3/log2(3) + 0 + 1/log2(5)
    expect(dcg([3, 2, 0, 1], 10)).to.be.closeTo(9.323466, 1e-6);
    const judged = new Map([['a', 3], ['b', 2], ['c', 0], ['d', 1], ['e', 3]]);
    // Ideal: 3, 3, 2, 1 → 13.347185; e (grade 3) was never ranked, so it counts against the system.
    expect(ndcgAt(['a', 'b', 'c', 'd'], judged, 10)).to.be.closeTo(9.323466 / 13.347185, 1e-6);
    expect(ndcgAt(['e', 'a', 'b', 'd'], judged, 10)).to.be.closeTo(1, 1e-12);
    // One miss in front of the only relevant item: (7 / log2 3) / 7.
    expect(ndcgAt(['x', 'a'], new Map([['a', 3]]), 10)).to.be.closeTo(1 / Math.log2(3), 1e-12);
    // Items after the cut-off do not count; unjudged items are 0; nothing relevant scores 0.
    expect(ndcgAt(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'a'], new Map([['a', 3]]), 10)).to.equal(0);
    expect(ndcgAt(['a'], new Map([['a', 0]]), 10)).to.equal(0);
  });

  it('computes Recall@k with the denominator capped at k, coverage, and the reciprocal rank', () => {
    expect(recallAt(['a', 'x', 'b', 'y', 'z', 'c'], new Set(['a', 'b', 'c']), 5)).to.be.closeTo(2 / 3, 1e-12);
    const many = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(recallAt(['a', 'x', 'b', 'c', 'y'], many, 5)).to.be.closeTo(3 / 5, 1e-12);
    expect(recallAt(['a', 'b', 'c', 'd', 'e'], many, 5)).to.equal(1);
    expect(recallAt(['a'], new Set(), 5)).to.equal(0);
    expect(coverage(['a', 'a', 'x', 'c'], new Set(['a', 'b', 'c', 'd'])).toFixed(2)).to.equal('0.50');
    expect(reciprocalRank(['x', 'y', 'a', 'b'], new Set(['a', 'b']))).to.be.closeTo(1 / 3, 1e-12);
    expect(reciprocalRank(['x', 'y'], new Set(['a']))).to.equal(0);
    expect(mean([1, 0, 0.5])).to.equal(0.5);
    expect(mean([])).to.equal(0);
  });

  it('reports position-discounted exposure per group, 0 for items below the cut-off', () => {
    const exposure = exposureByGroup([
      { group: 'none', rank: 0 }, { group: 'none', rank: null },
      { group: 'IDP', rank: 1 }, { group: 'IDP', rank: 12 },
    ], 10);
    expect(exposure.none).to.deep.equal({ items: 2, exposure: 0.5 });
    expect(exposure.IDP!.items).to.equal(2);
    expect(exposure.IDP!.exposure).to.be.closeTo(discount(1) / 2, 1e-4);
    expect(Object.keys(exposure)).to.deep.equal(['IDP', 'none']);
  });
});

describe('O*NET relevance grading', () => {
  // A tiny Related Occupations fixture: each row lists one related occupation of `from`.
  const related = relatedIndex([
    { from: '15-1252.00', to: '15-1253.00', tier: 'Primary-Short' },
    { from: '15-1252.00', to: '43-9021.00', tier: 'Supplemental' },
    { from: '29-1141.00', to: '15-1252.00', tier: 'Primary-Long' },
    { from: '15-1252.00', to: '15-1211.00', tier: 'Primary-Short' },
    { from: '15-1252.00', to: '47-2111.00', tier: 'Unknown-Tier' },
  ]);

  it('grades 3 for the same code, 2 for Primary-Short, 1 for Primary-Long, Supplemental or the same minor group, else 0', () => {
    expect(minorGroup('15-1252.00')).to.equal('15-12');
    expect(grade('15-1252.00', '15-1252.00', related)).to.equal(3);
    expect(grade('15-1252.00', '15-1253.00', related)).to.equal(2);
    expect(grade('15-1252.00', '43-9021.00', related)).to.equal(1);
    expect(grade('15-1252.00', '15-1299.08', related), 'same minor group, not listed').to.equal(1);
    expect(grade('15-1252.00', '11-1011.00', related)).to.equal(0);
    // Unknown tiers are ignored.
    expect(grade('15-1252.00', '47-2111.00', related)).to.equal(0);
  });

  it('counts a relation listed only the other way round, and the better of tier and minor group', () => {
    expect(grade('15-1253.00', '15-1252.00', related)).to.equal(2);
    expect(grade('15-1252.00', '29-1141.00', related)).to.equal(1);
    // Same minor group (15-12) and Primary-Short: the higher grade wins.
    expect(grade('15-1252.00', '15-1211.00', related)).to.equal(2);
  });
});
