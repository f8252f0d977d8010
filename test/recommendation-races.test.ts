/**
 * Recommendations ranked while something else happens, each found by a review and reproduced
 * before it was fixed: two rankings of one person at once, a dismissal during a ranking, and a
 * category changed just after the API looked the person up. The search backend is slowed down
 * to hold each ranking open long enough for the other thing to happen inside it.
 */
import { expect } from 'chai';
import { rankableSeekers, searchWorld, type SearchWorld } from './search-world.js';
import type { SearchBackend } from '../src/search/backend.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same engine, each search `ms` later. */
function slowed(search: SearchBackend, ms: number): SearchBackend {
  return new Proxy(search, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key === 'search' && typeof value === 'function') return async (...args: unknown[]) => { await sleep(ms); return value.apply(target, args); };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('recommendations under races', function () {
  this.timeout(300_000);
  let world: SearchWorld;
  let seekers: Array<{ user: string; candidate: string; token: string }>;

  before(async () => {
    world = await searchWorld();
    seekers = await rankableSeekers(world, { limit: 2, descending: true });
  });

  it('stores two rankings of one person at once as one set of rows, which both answers hold', async () => {
    const seeker = seekers[0]!;
    const slow = await world.apiWith(slowed(world.search, 1000));
    try {
      const rank = () => fetch(`${slow.base}/v1/me/recommendations?size=20&fresh=true`, { headers: { authorization: `Bearer ${seeker.token}` } }).then((r) => r.json());
      const [a, b] = (await Promise.all([rank(), rank()])) as Array<{ results: Array<{ recommendationId: string }> }>;
      expect(a.results.length).to.be.greaterThan(0);
      const { rows: doubled } = await world.db.raw(`SELECT opportunity_id FROM recommendations WHERE candidate_id = ? GROUP BY 1 HAVING count(*) > 1`, [seeker.candidate]);
      expect(doubled, 'opportunities with two rows').to.deep.equal([]);
      const set = new Set((await world.db('recommendation_sets').where({ candidate_id: seeker.candidate }).first('recommendation_ids')).recommendation_ids as string[]);
      for (const answer of [a, b]) expect(answer.results.every((r) => set.has(r.recommendationId)), 'every id served is in the stored set').to.equal(true);
    } finally {
      await slow.close();
    }
  });

  it('never stores, nor serves again, an opportunity dismissed while a ranking ran', async () => {
    const seeker = seekers[1]!;
    const first = await world.get('/v1/me/recommendations?size=20&fresh=true', seeker.token);
    const dismissed = first.body.results[0];
    const slow = await world.apiWith(slowed(world.search, 1500));
    try {
      const ranking = fetch(`${slow.base}/v1/me/recommendations?size=20&fresh=true`, { headers: { authorization: `Bearer ${seeker.token}` } }).then((r) => r.json());
      await sleep(300);
      expect((await world.send('POST', `/v1/recommendations/${dismissed.recommendationId}/events`, seeker.token, { event: 'dismissed' })).status).to.equal(200);
      await ranking;
    } finally {
      await slow.close();
    }
    const later = await world.get('/v1/me/recommendations?size=20', seeker.token);
    expect(later.status).to.equal(200);
    expect(later.body.results.map((r: { opportunity: { id: string } }) => r.opportunity.id)).to.not.include(dismissed.opportunity.id);
    // The set stored without it holds 19: not the 20 asked for, so the person gets a fresh 20.
    expect(first.body.results.length).to.equal(20);
    expect(later.body.results.length, 'as many as asked for').to.equal(20);
  });

  it('ranks by the category the profile has now, not the one the API looked up seconds ago', async () => {
    // A person in a vulnerable group who is recommended opportunities reserved for it.
    const { rows } = await world.db.raw(`
      SELECT c.id AS candidate, c.user_id AS "user", c.category FROM candidates c JOIN users u ON u.id = c.user_id
      WHERE c.candidate_type = 'beneficiary' AND c.category IS NOT NULL
        AND EXISTS (SELECT 1 FROM consent_records cr WHERE cr.user_id = u.id AND cr.consent_type = 'matching' AND cr.granted AND cr.revoked_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM recommendation_sets s WHERE s.candidate_id = c.id)
      ORDER BY c.id LIMIT 40`);
    const reservedAmong = async (ids: string[]) => (await world.db('opportunities').whereIn('id', ids)
      .where((q) => q.whereRaw('cardinality(eligible_categories) > 0').orWhere({ is_for_vulnerable: true })).pluck('id')) as string[];
    for (const row of rows) {
      const token = world.token({ sub: row.user, roles: ['beneficiary'] });
      const before = await world.get('/v1/me/recommendations?size=50', token);
      if ((await reservedAmong(before.body.results.map((r: { opportunity: { id: string } }) => r.opportunity.id))).length === 0) continue;
      // The profile is corrected: no longer in a vulnerable group. The API looked the person
      // up a moment ago and keeps that for a few seconds.
      await world.db('candidates').where({ id: row.candidate }).update({ category: null });
      try {
        const after = await world.get('/v1/me/recommendations?size=50&fresh=true', token);
        expect(after.status).to.equal(200);
        expect(await reservedAmong(after.body.results.map((r: { opportunity: { id: string } }) => r.opportunity.id)), 'reserved opportunities still recommended').to.deep.equal([]);
      } finally {
        await world.db('candidates').where({ id: row.candidate }).update({ category: row.category });
      }
      return;
    }
    expect.fail('no person in a vulnerable group was recommended an opportunity reserved for it');
  });
});
