/**
 * Pure facet code: the band a number falls in (the indexer writes it, the facet counts it) and
 * how band counts read back — every band, in order, zero counts too.
 */
import { expect } from 'chai';
import { bandOf, EXPERIENCE_BANDS } from '../src/domain/ranks.js';
import { readFacets } from '../src/search/faceted-query.js';
import { CANDIDATE_FACETS } from '../src/search/candidate-query.js';

describe('facet bands', () => {
  it('puts each number in the half-open band it falls in', () => {
    const cases: Array<[number | null, string | null]> = [[null, null], [0, '0-1'], [1, '0-1'], [2, '2-4'], [4, '2-4'], [5, '5-9'], [9, '5-9'], [10, '10+'], [45, '10+']];
    for (const [years, band] of cases) expect(bandOf(years, EXPERIENCE_BANDS), String(years)).to.equal(band);
    expect(bandOf(-1, [{ key: 'adult', from: 18 }])).to.equal(null);
  });

  it('reads every band back in order, with zero counts, grouped or not', () => {
    const facets = { experience: CANDIDATE_FACETS.experience! };
    const buckets = { buckets: [{ key: '10+', doc_count: 7 }, { key: '0-1', doc_count: 3 }] };
    const expected = [{ value: '0-1', count: 3 }, { value: '2-4', count: 0 }, { value: '5-9', count: 0 }, { value: '10+', count: 7 }];
    expect(readFacets({ facets: { experience: buckets } }, facets).experience).to.deep.equal(expected);
    expect(readFacets({ experience: buckets }, facets).experience).to.deep.equal(expected);
    expect(readFacets(undefined, facets).experience!.map((b) => b.count)).to.deep.equal([0, 0, 0, 0]);
  });
});
