/**
 * Matching through the API on demo data: recommendations for a beneficiary (only open,
 * eligible, reachable opportunities they are educated for; each a recommendations row;
 * chips whose skill counts equal Postgres), the lifecycle with idempotent retries, consent,
 * and ranked candidates for a recruiter's own opportunity under the privacy rules of search.
 */
import { expect } from 'chai';
import { rankableSeekers, searchWorld, WORLD_AS_OF, type SearchWorld } from './search-world.js';
import { EDUCATION_RANK } from '../src/domain/ranks.js';
import { OpenSearchBackend } from '../src/search/opensearch.js';
import { storedRecommendations } from '../src/matching/stored-recommendations.js';

describe('matching API', function () {
  this.timeout(300_000);
  let world: SearchWorld;
  let seeker: { user: string; candidate: string; token: string };
  let served: any;

  before(async () => {
    world = await searchWorld();
    // A beneficiary who consented to matching, with skills, a location and an education.
    [seeker] = await rankableSeekers(world, { limit: 1 });
  });

  it('recommends open, eligible, reachable opportunities with exact chips, each one a recommendations row', async () => {
    const response = await world.get('/v1/me/recommendations?size=20', seeker.token);
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    served = response.body.results;
    expect(served.length).to.be.greaterThan(0);
    const candidate = await world.db('candidates as c').leftJoin('locations as l', 'l.id', 'c.location_id').where('c.id', seeker.candidate).first('c.category', 'c.education_level');
    const held = new Set((await world.db('candidate_skills as cs').join('skills as s', 's.id', 'cs.skill_id').where('cs.candidate_id', seeker.candidate).pluck('s.slug')) as string[]);
    for (const [i, item] of served.entries()) {
      const o = await world.db('opportunities').where({ id: item.opportunity.id }).first();
      expect(o.status, o.id).to.equal('active');
      expect(o.published_at.getTime()).to.be.at.most(WORLD_AS_OF.getTime());
      if (o.application_deadline) expect(o.application_deadline.getTime()).to.be.at.least(Date.parse('2026-10-31'));
      const { rows: [eligible] } = await world.db.raw(`SELECT cardinality(eligible_categories) = 0 OR ?::beneficiary_category_enum = ANY(eligible_categories) AS ok FROM opportunities WHERE id = ?`, [candidate.category, o.id]);
      expect(eligible.ok, `${o.id} eligible`).to.equal(true);
      if (o.required_education) expect(EDUCATION_RANK[o.required_education]).to.be.at.most(EDUCATION_RANK[candidate.education_level]!);
      // Within a national mover's reach (1,500 km) unless remote.
      if (o.remote_option !== 'remote') {
        const { rows: [d] } = await world.db.raw(`SELECT 2 * 6371.0088 * asin(sqrt(power(sin(radians(b.latitude - a.latitude) / 2), 2) + cos(radians(a.latitude)) * cos(radians(b.latitude)) * power(sin(radians(b.longitude - a.longitude) / 2), 2))) AS km
          FROM candidates c JOIN locations a ON a.id = c.location_id, opportunities o JOIN locations b ON b.id = o.location_id WHERE c.id = ? AND o.id = ?`, [seeker.candidate, o.id]);
        expect(d.km, `${o.id} is ${d.km} km away`).to.be.at.most(1500.5);
      }
      const required = new Set((await world.db('opportunity_skills as os').join('skills as s', 's.id', 'os.skill_id').where({ 'os.opportunity_id': o.id, 'os.requirement': 'required' }).pluck('s.slug')) as string[]);
      const chip = item.chips.find((c: { type: string }) => c.type === 'skills');
      if (required.size > 0) expect(chip.data).to.include({ required: required.size, matched: [...required].filter((s) => held.has(s)).length });
      expect(item.chips[0].type).to.equal('band');
      expect(item.rank).to.equal(i + 1);
      if (i > 0) expect(item.score).to.be.at.most(served[i - 1].score);
    }
    const rows = await world.db('recommendations').whereIn('id', served.map((s: { recommendationId: string }) => s.recommendationId));
    expect(rows.length).to.equal(served.length);
    expect(rows.every((r) => r.status === 'generated' && r.candidate_id === seeker.candidate)).to.equal(true);
  });

  it('serves a valid stored set from Postgres while the search engine is down, and says so when it must rank', async () => {
    const { rows: [row] } = await world.db.raw(`
      SELECT c.user_id AS "user" FROM candidates c JOIN users u ON u.id = c.user_id
      WHERE c.candidate_type = 'beneficiary' AND c.location_id IS NOT NULL AND c.education_level IS NOT NULL AND c.mobility = 'national'
        AND EXISTS (SELECT 1 FROM consent_records cr WHERE cr.user_id = u.id AND cr.consent_type = 'matching' AND cr.granted AND cr.revoked_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM recommendation_sets s WHERE s.candidate_id = c.id)
      ORDER BY c.id DESC LIMIT 1`);
    const token = world.token({ sub: row.user, roles: ['beneficiary'] });
    const ranked = await world.get('/v1/me/recommendations?size=20', token);
    expect(ranked.status, JSON.stringify(ranked.body)).to.equal(200);
    expect(ranked.body.ranked).to.equal(true);
    expect(ranked.body.results.length).to.be.greaterThan(0);
    // A real engine that is not there: nothing listens on port 9.
    const down = await world.apiWith(new OpenSearchBackend('http://127.0.0.1:9'));
    try {
      const get = async (path: string) => {
        const response = await fetch(down.base + path, { headers: { authorization: `Bearer ${token}` } });
        return { status: response.status, body: await response.json() };
      };
      const stored = await get('/v1/me/recommendations?size=20');
      expect(stored.status, JSON.stringify(stored.body)).to.equal(200);
      expect(stored.body.ranked).to.equal(false);
      // The same items, ranks, scores and chips, and the same opportunity fields as the index holds.
      expect(stored.body.results).to.deep.equal(ranked.body.results);
      const fresh = await get('/v1/me/recommendations?size=20&fresh=true');
      expect(fresh.status).to.equal(503);
      expect(fresh.body.error.code).to.equal('search_unavailable');
      const metrics = await (await fetch(`${down.base}/metrics`)).text();
      expect(metrics).to.match(/^meridian_recommendations_total\{way="stored",reason="search_unavailable"\} 1$/m);
    } finally {
      await down.close();
    }
  });

  it('moves the lifecycle forward only, and makes retries with an Idempotency-Key safe', async () => {
    const id = served[0].recommendationId;
    const send = (body: unknown, key?: string) => fetch(`${world.base}/v1/recommendations/${id}/events`, {
      method: 'POST', headers: { authorization: `Bearer ${seeker.token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) }, body: JSON.stringify(body),
    });
    expect((await (await send({ event: 'viewed' })).json()).status).to.equal('viewed');
    const first = await send({ event: 'applied' }, 'apply-1');
    const firstBody = await first.json();
    expect(firstBody).to.include({ status: 'applied', applied: true });
    expect(Object.keys(firstBody), 'camelCase, as every other answer').to.have.members(['id', 'status', 'viewedAt', 'clicked', 'applied', 'dismissedAt', 'feedbackRating']);
    const retry = await send({ event: 'applied' }, 'apply-1');
    expect(retry.headers.get('idempotent-replayed')).to.equal('true');
    expect(await retry.json()).to.deep.equal(firstBody);
    expect((await send({ event: 'dismissed' }, 'apply-1')).status).to.equal(409);
    expect((await (await send({ event: 'viewed' })).json()).status).to.equal('applied');
    expect((await send({ event: 'feedback' })).status).to.equal(400);
    expect((await (await send({ event: 'feedback', rating: 4, text: 'Good fit' })).json()).feedbackRating).to.equal(4);
    const other = world.token({ sub: await world.beneficiary('IDP'), roles: ['beneficiary'] });
    const foreign = await fetch(`${world.base}/v1/recommendations/${id}/events`, { method: 'POST', headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json' }, body: JSON.stringify({ event: 'viewed' }) });
    expect(foreign.status).to.equal(404);
  });

  it('finds the skill that unlocks the most matches, and learning it adds exactly that many', async () => {
    const response = await world.get('/v1/me/skill-gaps', seeker.token);
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    const top = response.body.results[0];
    expect(top, 'the seeker misses a skill somewhere').to.exist;
    expect(top.text).to.match(new RegExp(`^(Learn|Apprendre) .+ → ${top.unlocks} (more match|offres? de plus)`));
    const fullyMatched = async () => (await world.db.raw(`
      SELECT count(*)::int AS n FROM opportunities o, candidates c
      WHERE c.id = ? AND o.status = 'active' AND o.published_at <= ? AND (o.application_deadline IS NULL OR o.application_deadline >= date '2026-11-01')
        AND (cardinality(o.eligible_categories) = 0 OR c.category = ANY(o.eligible_categories)) AND (NOT o.is_for_vulnerable OR c.category IS NOT NULL)
        -- A match: at least half of the required skills held.
        AND 2 * (SELECT count(*) FROM opportunity_skills os JOIN candidate_skills cs ON cs.skill_id = os.skill_id AND cs.candidate_id = c.id
                 WHERE os.opportunity_id = o.id AND os.requirement = 'required')
          >= (SELECT count(*) FROM opportunity_skills os WHERE os.opportunity_id = o.id AND os.requirement = 'required')
        AND EXISTS (SELECT 1 FROM opportunity_skills os WHERE os.opportunity_id = o.id AND os.requirement = 'required')`, [seeker.candidate, WORLD_AS_OF])).rows[0].n as number;
    const before = await fullyMatched();
    const skill = await world.db('skills').where({ slug: top.slug }).first('id');
    await world.db('candidate_skills').insert({ candidate_id: seeker.candidate, skill_id: skill.id, proficiency_level: 'beginner', source: 'declared' });
    try {
      expect(await fullyMatched()).to.equal(before + top.unlocks);
    } finally {
      await world.db('candidate_skills').where({ candidate_id: seeker.candidate, skill_id: skill.id }).delete();
    }
  });

  it('gives every application made through the API a fit score and its explanation', async () => {
    const item = served[1] ?? served[0];
    const apply = (body: unknown) => world.send('POST', '/v1/applications', seeker.token, body);
    const created = await apply({ opportunityId: item.opportunity.id, recommendationId: item.recommendationId, coverLetter: 'I would like to apply.' });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.aiFitScore).to.be.within(0, 100);
    const skills = created.body.explainability.chips.find((c: { type: string }) => c.type === 'skills');
    const served1 = item.chips.find((c: { type: string }) => c.type === 'skills');
    if (served1) expect(skills.data).to.deep.equal(served1.data);
    const row = await world.db('applications').where({ id: created.body.id }).first();
    expect(Number(row.ai_fit_score)).to.equal(created.body.aiFitScore);
    expect(row.recommendation_id).to.equal(item.recommendationId);
    expect((await world.db('recommendations').where({ id: item.recommendationId }).first()).status).to.equal('applied');
    expect((await apply({ opportunityId: item.opportunity.id })).body.error.code).to.equal('already_applied');
    const closed = await world.db('opportunities').whereNot({ status: 'active' }).first('id');
    expect((await apply({ opportunityId: closed.id })).status).to.equal(404);
    expect((await apply({ opportunityId: 'nope', extra: 1 })).body.error.details.problems.map((p: { param: string }) => p.param)).to.have.members(['opportunityId', 'extra']);
  });

  it('asks for consent to matching before recommending', async () => {
    const token = world.token({ sub: await world.beneficiary('IDP'), roles: ['beneficiary'] });
    const response = await world.get('/v1/me/recommendations', token);
    expect(response.status).to.equal(403);
    expect(response.body.error.code).to.equal('matching_consent_required');
  });

  it('ranks candidates for a recruiter’s own opportunity with masked names and no category, and 404s another’s', async () => {
    const { rows: [mine] } = await world.db.raw(`
      SELECT o.id, o.organization_id FROM opportunities o WHERE EXISTS (SELECT 1 FROM opportunity_skills os WHERE os.opportunity_id = o.id AND os.requirement = 'required')
      ORDER BY o.id LIMIT 1`);
    const token = world.token({ sub: await world.member(mine.organization_id), org: mine.organization_id, roles: ['recruiter'] });
    const response = await world.get(`/v1/opportunities/${mine.id}/candidates?size=30`, token);
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    expect(response.body.results.length).to.be.greaterThan(0);
    const hidden = new Set((await world.db('candidates').where({ confidential_search: true, current_organization_id: mine.organization_id }).pluck('id')) as string[]);
    for (const item of response.body.results) {
      expect(hidden.has(item.candidate.id)).to.equal(false);
      expect(item.candidate).to.not.have.property('category');
      expect(item.chips.map((c: { type: string }) => c.type)).to.not.include('eligibility');
      if (item.candidate.masked) expect(item.candidate.name).to.equal(null);
    }
    // The hard constraints hold for the person too: eligible by category, the mandatory
    // education, and within their own reach (mobility) unless the work is remote.
    const { rows: broken } = await world.db.raw(`
      SELECT c.id FROM candidates c JOIN opportunities o ON o.id = ? LEFT JOIN locations a ON a.id = c.location_id LEFT JOIN locations b ON b.id = o.location_id
      WHERE c.id = ANY(?::uuid[]) AND NOT (
        (cardinality(o.eligible_categories) = 0 OR c.category = ANY(o.eligible_categories)) AND (NOT o.is_for_vulnerable OR c.category IS NOT NULL)
        AND (o.required_education IS NULL OR c.education_level IS NULL OR c.education_level >= o.required_education)
        AND (o.remote_option = 'remote' OR a.id IS NULL OR b.id IS NULL OR c.mobility = 'international'
          OR 2 * 6371.0088 * asin(sqrt(power(sin(radians(b.latitude - a.latitude) / 2), 2) + cos(radians(a.latitude)) * cos(radians(b.latitude)) * power(sin(radians(b.longitude - a.longitude) / 2), 2)))
            <= CASE c.mobility WHEN 'local' THEN 50.5 WHEN 'regional' THEN 200.5 ELSE 1500.5 END))`,
    [mine.id, response.body.results.map((item: { candidate: { id: string } }) => item.candidate.id)]);
    expect(broken, 'candidates breaking a hard constraint').to.deep.equal([]);
    const foreign = await world.db('opportunities').whereNot({ organization_id: mine.organization_id }).first('id');
    expect((await world.get(`/v1/opportunities/${foreign.id}/candidates`, token)).status).to.equal(404);
  });
  it('serves the last ranked set again while nothing it was ranked from changed, and ranks again when something did', async () => {
    const [row, other] = await rankableSeekers(world, { limit: 2, except: [seeker.candidate] });
    const token = row!.token;
    const get = async (query: string, as = token) => {
      const response = await world.get(`/v1/me/recommendations${query}`, as);
      expect(response.status, JSON.stringify(response.body)).to.equal(200);
      return response.body;
    };
    const first = await get('?size=20');
    expect(first.ranked).to.equal(true);
    expect(first.results.length).to.be.greaterThan(5);
    const ids = (body: any) => body.results.map((r: { recommendationId: string }) => r.recommendationId);

    // Nothing changed: the same rows, ranks, scores, chips and opportunity fields.
    const again = await get('?size=20');
    expect(again.ranked).to.equal(false);
    expect(again.generatedAt).to.equal(first.generatedAt);
    expect(again.results).to.deep.equal(first.results);
    const fewer = await get('?size=5');
    expect(fewer.ranked).to.equal(false);
    expect(fewer.results).to.deep.equal(first.results.slice(0, 5));
    // More than the set holds, other types, or asked to: ranked now.
    if (first.results.length === 20) expect((await get('?size=30')).ranked).to.equal(true);
    expect((await get('?size=20&fresh=true')).ranked).to.equal(true);
    const jobs = await get('?size=20&type=PERMANENT_EMPLOYMENT');
    expect(jobs.ranked).to.equal(true);
    expect(jobs.results.every((r: { opportunity: { type: string } }) => r.opportunity.type === 'PERMANENT_EMPLOYMENT')).to.equal(true);
    expect((await get('?size=20&type=PERMANENT_EMPLOYMENT')).ranked).to.equal(false);
    const all = await get('?size=20');
    expect(all.ranked).to.equal(true);
    expect(ids(all)).to.deep.equal(ids(first));
    expect((await get('?size=20')).ranked).to.equal(false);

    // The profile changed (any profile table): ranked again.
    const skill = await world.db('candidate_skills').where({ candidate_id: row.candidate }).orderBy('id').first('id');
    await world.db('candidate_skills').where({ id: skill.id }).update({ endorsement_count: world.db.raw('endorsement_count + 1') });
    expect((await get('?size=20')).ranked).to.equal(true);
    expect((await get('?size=20')).ranked).to.equal(false);

    // Dismissed: ranked again, and never offered again.
    const dismissed = all.results[0];
    const event = await world.send('POST', `/v1/recommendations/${dismissed.recommendationId}/events`, token, { event: 'dismissed' });
    expect(event.status, JSON.stringify(event.body)).to.equal(200);
    const after = await get('?size=20');
    expect(after.ranked).to.equal(true);
    expect(after.results.map((r: { opportunity: { id: string } }) => r.opportunity.id)).to.not.include(dismissed.opportunity.id);
    expect((await get('?size=20&fresh=true')).results.map((r: { opportunity: { id: string } }) => r.opportunity.id)).to.not.include(dismissed.opportunity.id);
    expect((await get('?size=20')).ranked).to.equal(false);

    // A deadline passed since the ranking (time moved, no row changed): never served again.
    const expiring = after.results[1].opportunity.id;
    const original = (await world.db('opportunities').where({ id: expiring }).first('application_deadline')).application_deadline;
    const setDeadlineOf = (opportunity: string, deadline: unknown) => world.db.transaction(async (trx) => {
      // Without the updated_at trigger: a deadline passes without anyone touching the row.
      await trx.raw('SET LOCAL session_replication_role = replica');
      await trx('opportunities').where({ id: opportunity }).update({ application_deadline: deadline });
    });
    const setDeadline = (deadline: unknown) => setDeadlineOf(expiring, deadline);
    await setDeadline('2026-10-15');
    try {
      await world.reindexRows('opportunities', [expiring]);
      const reranked = await get('?size=20');
      expect(reranked.ranked).to.equal(true);
      expect(reranked.results.map((r: { opportunity: { id: string } }) => r.opportunity.id)).to.not.include(expiring);
    } finally {
      await setDeadline(original);
      await world.reindexRows('opportunities', [expiring]);
    }

    // An opportunity in the set changed (its row or its skills): ranked again.
    const target = after.results[2].opportunity.id;
    await world.db('opportunity_skills').where({ opportunity_id: target }).update({ requirement: world.db.raw('requirement') });
    expect((await get('?size=20')).ranked).to.equal(true);
    expect((await get('?size=20')).ranked).to.equal(false);
    // Where the index trails Postgres (the default margin), a change just before the ranking
    // counts as after it: the ranking may have read the opportunity's previous state.
    const check = (margin?: number) => storedRecommendations(world.db, row.candidate, { modelVersion: after.modelVersion, size: 20, now: WORLD_AS_OF, indexLagMarginMs: margin });
    expect(await check(0)).to.include({ servable: true });
    expect(await check()).to.deep.equal({ servable: false, reason: 'opportunity_changed' });

    // A deadline is a day: a set holding an opportunity whose last day is today is served
    // through that day (UTC), and not once it is over (time moved, no row changed).
    const at = (now: string) => storedRecommendations(world.db, row.candidate, { modelVersion: after.modelVersion, size: 20, now: new Date(now), maxAgeMs: 48 * 3600_000, indexLagMarginMs: 0 });
    const lastDay = ((await at('2026-11-01T00:00:00Z')) as { items: Array<{ opportunityId: string }> }).items[0]!.opportunityId;
    const kept = (await world.db('opportunities').where({ id: lastDay }).first('application_deadline')).application_deadline;
    const setLastDay = (deadline: unknown) => setDeadlineOf(lastDay, deadline);
    await setLastDay('2026-11-01');
    try {
      expect(await at('2026-11-01T23:59:59Z'), 'as its last day ends').to.include({ servable: true });
      expect(await at('2026-11-02T00:00:00Z'), 'the day after').to.deep.equal({ servable: false, reason: 'opportunity_changed' });
    } finally {
      await setLastDay(kept);
    }

    // An opportunity's own row changed (another person's set): ranked again.
    const otherToken = world.token({ sub: other.user, roles: ['beneficiary'] });
    const theirs = await get('?size=20', otherToken);
    expect((await get('?size=20', otherToken)).ranked).to.equal(false);
    await world.db('opportunities').where({ id: theirs.results[1].opportunity.id }).update({ title: world.db.raw('title') });
    expect((await get('?size=20', otherToken)).ranked).to.equal(true);

    // Operators see how often a set is served again and why it was not.
    const metrics = await (await fetch(`${world.base}/metrics`)).text();
    const served = (labels: string) => Number(new RegExp(`^meridian_recommendations_total\\{${labels}\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
    expect(served('way="stored",reason="valid"')).to.be.at.least(5);
    expect(served('way="ranked",reason="profile_changed"')).to.be.at.least(1);
    expect(served('way="ranked",reason="opportunity_changed"')).to.be.at.least(3);
    expect(served('way="ranked",reason="dismissed"')).to.be.at.least(1);
    expect(served('way="ranked",reason="fresh"')).to.be.at.least(2);

  });
});
