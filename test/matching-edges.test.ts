/**
 * Recommendation events and applications at their edges, each found by a review and
 * reproduced before it was fixed: keys and texts that were 500s, idempotency that outlived its
 * day or depended on field order, a lifecycle that could move backwards or disagree with
 * itself, and an upper-case id that found nothing.
 */
import { expect } from 'chai';
import { rankableSeekers, searchWorld, WORLD_AS_OF, type SearchWorld } from './search-world.js';
import { OpenSearchBackend } from '../src/search/opensearch.js';
import { harness } from './harness.js';
import { Encoder } from '../src/matching/encoder.js';
import { EMBEDDING_DIMENSION } from '../src/search/indices.js';
import { ServiceError } from '../src/errors.js';
import type { SearchBackend } from '../src/search/backend.js';

describe('matching API edges', function () {
  this.timeout(300_000);
  let world: SearchWorld;
  let token: string;
  let user: string;
  let served: Array<{ recommendationId: string; opportunity: { id: string } }>;

  before(async () => {
    world = await searchWorld();
    const [seeker] = await rankableSeekers(world, { offset: 3, limit: 1 });
    token = seeker!.token;
    user = seeker!.user;
    const response = await world.get('/v1/me/recommendations?size=20&fresh=true', token);
    expect(response.status).to.equal(200);
    served = response.body.results;
    expect(served.length).to.be.at.least(8);
  });

  const post = (id: string, body: unknown, key?: string, base = world.base) => fetch(`${base}/v1/recommendations/${id}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key !== undefined ? { 'idempotency-key': key } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: await r.json() as any, replayed: r.headers.get('idempotent-replayed') }));

  it('takes any Idempotency-Key the header allows, and replays a retry whatever its field order', async () => {
    const long = 'k'.repeat(200);
    const first = await post(served[0]!.recommendationId, { event: 'viewed' }, long);
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    const again = await post(served[0]!.recommendationId, { event: 'viewed' }, long);
    expect(again).to.deep.include({ status: 200, replayed: 'true' });
    const rated = await post(served[1]!.recommendationId, '{"rating":4,"event":"feedback"}', 'order-key');
    expect(rated.status).to.equal(200);
    const reordered = await post(served[1]!.recommendationId, '{"event":"feedback","rating":4}', 'order-key');
    expect(reordered).to.deep.include({ status: 200, replayed: 'true' });
    expect(reordered.body).to.deep.equal(rated.body);
  });

  it('forgets an Idempotency-Key once its day is over', async () => {
    const id = served[2]!.recommendationId;
    expect((await post(id, { event: 'viewed' }, 'a-day-key')).status).to.equal(200);
    expect((await post(id, { event: 'clicked' }, 'a-day-key')).status, 'another request, same day').to.equal(409);
    const other = new OpenSearchBackend(harness().config.search.url);
    const later = await world.apiWith(other, { now: new Date(WORLD_AS_OF.getTime() + 3 * 86_400_000) });
    try {
      const reused = await post(id, { event: 'clicked' }, 'a-day-key', later.base);
      expect(reused.status, JSON.stringify(reused.body)).to.equal(200);
      expect(reused.replayed).to.equal(null);
      expect(reused.body.status).to.equal('clicked');
    } finally {
      await later.close();
      await other.close();
    }
  });

  it('refuses text Postgres cannot store, and fields an event does not carry, with 400s', async () => {
    const id = served[3]!.recommendationId;
    for (const body of [{ event: 'feedback', rating: 3, text: 'bad\u0000text' }, '{"event":"feedback","rating":3,"text":"x\\ud800y"}', { event: 'viewed', rating: 'lots' }, { event: 'dismissed', text: 'why' }]) {
      const response = await post(id, body);
      expect(response.status, JSON.stringify(body)).to.equal(400);
      expect(response.body.error.code).to.equal('invalid_body');
    }
    for (const coverLetter of ['hello\u0000', '\udc00']) {
      const response = await world.send('POST', '/v1/applications', token, { opportunityId: served[4]!.opportunity.id, coverLetter });
      expect(response.status, JSON.stringify(coverLetter)).to.equal(400);
      expect(response.body.error.code).to.equal('invalid_body');
    }
  });

  it('moves the lifecycle only forward, and an application beats a dismissal either way it is recorded', async () => {
    const viaEvent = served[5]!.recommendationId;
    expect((await post(viaEvent, { event: 'dismissed' })).body.status).to.equal('dismissed');
    const applied = await post(viaEvent, { event: 'applied' });
    expect(applied.body).to.include({ status: 'applied', applied: true });
    expect(applied.body.viewedAt, 'applying means it was seen').to.be.a('string');
    const viaApplication = served[6]!;
    await post(viaApplication.recommendationId, { event: 'dismissed' });
    expect((await world.send('POST', '/v1/applications', token, { opportunityId: viaApplication.opportunity.id, recommendationId: viaApplication.recommendationId })).status).to.equal(201);
    expect((await world.db('recommendations').where({ id: viaApplication.recommendationId }).first('status')).status).to.equal('applied');
    // Clicked, then left (what the abandonment job records): a late "viewed" does not undo it.
    const abandoned = served[7]!.recommendationId;
    await post(abandoned, { event: 'clicked' });
    await world.db('recommendations').where({ id: abandoned }).update({ status: 'abandoned' });
    expect((await post(abandoned, { event: 'viewed' })).body.status).to.equal('abandoned');
  });

  it('finds an opportunity to apply to by its id in upper case too', async () => {
    const opportunity = served[8]?.opportunity.id ?? served[0]!.opportunity.id;
    const response = await world.send('POST', '/v1/applications', token, { opportunityId: opportunity.toUpperCase() });
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    expect((await world.db('applications').where({ id: response.body.id }).first('opportunity_id')).opportunity_id).to.equal(opportunity);
  });

  it('documents the 400s and 503s the matching routes answer', async () => {
    const paths = (await world.get('/v1/openapi.json')).body.paths;
    expect(paths['/v1/me/skill-gaps'].get.responses).to.have.property('400');
    expect(paths['/v1/opportunities/{id}/candidates'].get.responses).to.include.keys('400', '503');
    expect(paths['/v1/me/recommendations'].get.responses).to.have.property('503');
    expect(paths['/v1/applications'].post.responses).to.have.property('503');
  });

  it('labels masked candidates apart from one another', async () => {
    const { displayName } = await import('../src/api/searches.js');
    const ids = (await world.db('candidates').orderBy('id').limit(200).pluck('id')) as string[];
    expect(new Set(ids.map(displayName)).size).to.equal(ids.length);
  });

  it('recommends nothing the person has applied to, through the API or by saying so', async () => {
    // Earlier tests here applied to some of the served opportunities, one way or the other.
    const { rows } = await world.db.raw(`
      SELECT o.id FROM opportunities o WHERE EXISTS (SELECT 1 FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.opportunity_id = o.id AND c.user_id = ?)
        OR EXISTS (SELECT 1 FROM recommendations r JOIN candidates c ON c.id = r.candidate_id WHERE r.opportunity_id = o.id AND r.applied AND c.user_id = ?)`, [user, user]);
    const applied = rows.map((row: { id: string }) => row.id);
    expect(applied.length, 'applied through the API and by an event').to.be.at.least(2);
    for (const query of ['?size=20', '?size=20&fresh=true']) {
      const response = await world.get(`/v1/me/recommendations${query}`, token);
      expect(response.status).to.equal(200);
      const ids = response.body.results.map((r: { opportunity: { id: string } }) => r.opportunity.id) as string[];
      expect(ids.length, query).to.be.greaterThan(0);
      expect(ids.filter((id) => applied.includes(id)), query).to.deep.equal([]);
    }
  });

  it('ranks by text alone when the k-NN search fails, and counts it where operators look', async () => {
    // An encoder (any weights of the right size) makes the ranker ask the engine for nearest
    // vectors; a backend whose k-NN search fails stands for an engine that refuses it.
    const config = { buckets: 1 << 10, dimension: EMBEDDING_DIMENSION, maxFeatures: 64 };
    const weights = new Float32Array(config.buckets * config.dimension).map((_, i) => Math.sin(i * 12.9898) / 8);
    const encoder = new Encoder(config, weights, 'test-vectors');
    const refusing = new Proxy(world.search, {
      get(target, property, receiver) {
        if (property === 'nearest') return async () => { throw new ServiceError('search_unavailable', 'k-NN refused (test fault)'); };
        return Reflect.get(target, property, receiver);
      },
    }) as SearchBackend;
    const [seeker] = await rankableSeekers(world, { offset: 5, limit: 1 });
    const failures = async (base: string) => {
      const text = await (await fetch(`${base}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('meridian_ranking_vector_leg_failures_total'));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    for (const [backend, expected] of [[world.search, 0], [refusing, 1]] as const) {
      const api = await world.apiWith(backend, { encoder });
      try {
        const response = await fetch(`${api.base}/v1/me/recommendations?size=10&fresh=true`, { headers: { authorization: `Bearer ${seeker!.token}` } });
        const body = await response.json() as any;
        expect(response.status, JSON.stringify(body)).to.equal(200);
        expect(body.ranked).to.equal(true);
        expect(body.results.length, 'ranked by text').to.be.greaterThan(0);
        expect(await failures(api.base), backend === refusing ? 'the failed vector leg counted' : 'a vector leg that worked is not counted').to.equal(expected);
      } finally {
        await api.close();
      }
    }
  });
});
