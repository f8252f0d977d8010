/**
 * Privacy and tenancy edges a review found and reproduced on 2026-11-28, before they were
 * fixed: another organisation's programme and cohort memberships (shown on a profile, and
 * usable as a filter that listed their participants), a programme's dropped-out participants
 * still in its organisation's scope, and recruiters' rankings of people who never consented
 * to matching.
 */
import { expect } from 'chai';
import { SEARCHABLE_CANDIDATE } from '../src/db/documents.js';
import { searchWorld, type SearchWorld } from './search-world.js';

describe('privacy and tenancy: memberships, dropped participants, matching consent', function () {
  this.timeout(300_000);
  let world: SearchWorld;
  // A public candidate enrolled in programme P of organisation B; a recruiter of organisation A
  // with no programme or cohort of its own.
  let target: { id: string; program_id: string; owner: string };
  let outsider: string;

  before(async () => {
    world = await searchWorld();
    const { rows: [row] } = await world.db.raw(`
      SELECT c.id, pe.program_id, p.organization_id AS owner FROM candidates c JOIN users u ON u.id = c.user_id
      JOIN program_enrollments pe ON pe.user_id = u.id AND pe.status <> 'dropped' JOIN programs p ON p.id = pe.program_id
      WHERE ${SEARCHABLE_CANDIDATE} AND c.profile_visibility = 'public' AND NOT c.confidential_search
      ORDER BY c.id LIMIT 1`);
    expect(row, 'demo data has a public candidate enrolled in a programme').to.exist;
    target = row;
    const { rows: [org] } = await world.db.raw(`
      SELECT o.id FROM organizations o WHERE o.status = 'active' AND o.id <> ?
        AND NOT EXISTS (SELECT 1 FROM programs p WHERE p.organization_id = o.id)
        AND NOT EXISTS (SELECT 1 FROM cohorts ch WHERE ch.institution_id = o.id OR ch.sponsor_id = o.id)
      ORDER BY o.id LIMIT 1`, [target.owner]);
    outsider = world.token({ sub: await world.member(org.id), org: org.id, roles: ['recruiter'] });
  });

  it('shows on a profile only the programmes and cohorts the caller\'s organisation runs', async () => {
    const foreign = await world.get(`/v1/candidates/${target.id}`, outsider);
    expect(foreign.status, JSON.stringify(foreign.body)).to.equal(200);
    expect(foreign.body.program_ids).to.deep.equal([]);
    expect(foreign.body.cohort_ids).to.deep.equal([]);
    const owner = world.token({ sub: await world.member(target.owner), org: target.owner, roles: ['recruiter'] });
    const own = await world.get(`/v1/candidates/${target.id}`, owner);
    expect(own.body.program_ids, 'the organisation running the programme sees it').to.include(target.program_id);
  });

  it('refuses a filter on another organisation\'s programme or cohort with a 404, in search and in stored searches', async () => {
    const program = await world.get(`/v1/candidates/search?program=${target.program_id}&size=100`, outsider);
    expect(program.status, JSON.stringify(program.body)).to.equal(404);
    expect(program.body.error.code).to.equal('program_not_found');
    const cohort = (await world.db('cohorts').orderBy('id').first('id')).id as string;
    const byCohort = await world.get(`/v1/candidates/search?cohort=${cohort}`, outsider);
    expect(byCohort.status).to.equal(404);
    expect(byCohort.body.error.code).to.equal('cohort_not_found');
    const pool = await world.send('POST', '/v1/talent-pools', outsider, { name: 'Their participants', query: { program: target.program_id } });
    expect(pool.status, JSON.stringify(pool.body)).to.equal(404);
    const saved = await world.send('POST', '/v1/saved-searches', outsider, { name: 'Their cohort', audience: 'candidates', query: { cohort } });
    expect(saved.status, JSON.stringify(saved.body)).to.equal(404);
    // The organisation's own programme is a filter like any other.
    const owner = world.token({ sub: await world.member(target.owner), org: target.owner, roles: ['recruiter'] });
    const own = await world.get(`/v1/candidates/search?program=${target.program_id}&size=100`, owner);
    expect(own.status).to.equal(200);
    expect(own.body.results.map((r: { id: string }) => r.id)).to.include(target.id);
  });

  it('takes a participant who dropped out of a programme out of its organisation\'s scope', async () => {
    // A network-only candidate whose only link to organisation B is a dropped enrolment in B's programme.
    const { rows: [row] } = await world.db.raw(`
      SELECT c.id, p.organization_id AS org FROM candidates c JOIN users u ON u.id = c.user_id
      JOIN program_enrollments pe ON pe.user_id = u.id AND pe.status = 'dropped' JOIN programs p ON p.id = pe.program_id
      WHERE ${SEARCHABLE_CANDIDATE} AND c.profile_visibility = 'network'
        AND NOT EXISTS (SELECT 1 FROM program_enrollments pe2 JOIN programs p2 ON p2.id = pe2.program_id WHERE pe2.user_id = u.id AND p2.organization_id = p.organization_id AND pe2.status <> 'dropped')
        AND NOT EXISTS (SELECT 1 FROM cohort_enrollments ce JOIN cohorts ch ON ch.id = ce.cohort_id WHERE ce.user_id = u.id AND (ch.institution_id = p.organization_id OR ch.sponsor_id = p.organization_id))
        AND NOT EXISTS (SELECT 1 FROM introduction_requests ir WHERE ir.candidate_id = c.id AND ir.organization_id = p.organization_id AND ir.status = 'accepted')
        AND NOT (c.confidential_search AND c.current_organization_id IS NOT DISTINCT FROM p.organization_id)
      ORDER BY c.id LIMIT 1`);
    expect(row, 'demo data has a network-only candidate who dropped out of a programme').to.exist;
    for (const role of ['ngo_partner', 'recruiter'] as const) {
      const token = world.token({ sub: await world.member(row.org), org: row.org, roles: [role] });
      expect((await world.get(`/v1/candidates/${row.id}`, token)).status, role).to.equal(404);
    }
    // Back in the programme (the stream would write the document again): in scope again.
    await world.db('program_enrollments').where({ user_id: world.db('candidates').where({ id: row.id }).select('user_id'), status: 'dropped' }).update({ status: 'active' });
    try {
      await world.reindexRows('candidates', [row.id]);
      const token = world.token({ sub: await world.member(row.org), org: row.org, roles: ['ngo_partner'] });
      expect((await world.get(`/v1/candidates/${row.id}`, token)).status).to.equal(200);
    } finally {
      await world.db('program_enrollments').where({ user_id: world.db('candidates').where({ id: row.id }).select('user_id'), status: 'active' }).update({ status: 'dropped' });
      await world.reindexRows('candidates', [row.id]);
    }
  });

  it('ranks for a recruiter only people who consent to matching', async () => {
    const opportunities = await world.db('opportunities').whereNotNull('organization_id').orderBy('id').limit(8).select('id', 'organization_id');
    const ranked = new Set<string>();
    for (const opportunity of opportunities) {
      const token = world.token({ sub: await world.member(opportunity.organization_id), org: opportunity.organization_id, roles: ['recruiter'] });
      const response = await world.get(`/v1/opportunities/${opportunity.id}/candidates?size=100`, token);
      expect(response.status, JSON.stringify(response.body)).to.equal(200);
      for (const item of response.body.results) ranked.add(item.candidate.id);
    }
    expect(ranked.size).to.be.greaterThan(20);
    const withoutConsent = (await world.db('candidates as c').whereIn('c.id', [...ranked])
      .whereNotExists(world.db('consent_records as cr').whereRaw('cr.user_id = c.user_id').where({ 'cr.consent_type': 'matching', 'cr.granted': true }).whereNull('cr.revoked_at'))
      .pluck('c.id')) as string[];
    expect(withoutConsent, `${withoutConsent.length} of ${ranked.size} ranked without consent to matching`).to.deep.equal([]);
  });
});
