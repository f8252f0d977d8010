/**
 * The authorisation matrix: every search endpoint × every role (and no token) × an object of
 * the caller's own and one of someone else's, with the status each cell must answer. A
 * foreign object is a 404 (its existence is not the caller's to know); a role that may not
 * use an endpoint at all is a 403; no token is a 401. Foreign objects exist and are visible to
 * someone (an administrator, another organisation, another beneficiary): a 404 for them shows
 * that the caller's scope, and nothing else, keeps them out.
 */
import { expect } from 'chai';
import { ROLES, type Role } from '../src/api/tokens.js';
import { SEARCHABLE_CANDIDATE } from '../src/db/documents.js';
import { searchWorld, type SearchWorld } from './search-world.js';

type Caller = Role | 'none';
const CALLERS: Caller[] = [...ROLES, 'none'];

interface Targets {
  /** Foreign: public, in the home organisation's programme, but confidential towards that organisation. */
  candidate: string;
  /** Network-only profile; own: in the home organisation's programme; foreign: in another organisation's only. */
  networkCandidate: string;
  /** Public profile; own: in the home organisation's programme; foreign: in another organisation's only. */
  publicCandidate: string;
  /** Foreign: open and published, but only for categories the beneficiary (IDP) is not in. */
  opportunity: string;
  pool: string;
  saved: string;
  search: string;
  /** A recommendation served to the caller (beneficiaries), else someone else's. */
  recommendation: string;
  /** An opportunity of the caller's organisation (to rank candidates for); foreign: another organisation's. */
  ownOpportunity: string;
}

interface Row {
  endpoint: string;
  call(world: SearchWorld, token: string | undefined, target: Targets): Promise<{ status: number; body: any }>;
  /** Expected status per caller for [own, foreign] targets (one number: both the same). */
  expect: Record<Caller, number | [number, number]>;
}

const searchers = (ok: number | [number, number], forbidden = 403) => ({
  administrator: ok, recruiter: ok, institution_admin: ok, ngo_partner: ok, beneficiary: forbidden, funder: forbidden, volunteer: forbidden, none: 401,
});
const seekers = (ok: number | [number, number], forbidden = 403) => ({
  administrator: ok, beneficiary: ok, recruiter: forbidden, institution_admin: forbidden, ngo_partner: forbidden, funder: forbidden, volunteer: forbidden, none: 401,
});
const everyone = (ok: number | [number, number]) => ({
  administrator: ok, recruiter: ok, institution_admin: ok, ngo_partner: ok, beneficiary: ok, funder: ok, volunteer: ok, none: 401,
});

const MATRIX: Row[] = [
  { endpoint: 'GET /v1/me', call: (w, t) => w.get('/v1/me', t), expect: everyone(200) },
  { endpoint: 'GET /v1/candidates/search', call: (w, t) => w.get('/v1/candidates/search?size=1', t), expect: searchers(200) },
  // Administrators see everyone in the index, so no candidate is foreign to them.
  { endpoint: 'GET /v1/candidates/:id', call: (w, t, x) => w.get(`/v1/candidates/${x.candidate}`, t), expect: { ...searchers([200, 404]), administrator: [200, 200] } },
  { endpoint: 'GET /v1/candidates/:id (network)', call: (w, t, x) => w.get(`/v1/candidates/${x.networkCandidate}`, t), expect: { ...searchers([200, 404]), administrator: [200, 200] } },
  // A public profile reaches every recruiter; partners see only their own programmes' people.
  { endpoint: 'GET /v1/candidates/:id (public)', call: (w, t, x) => w.get(`/v1/candidates/${x.publicCandidate}`, t), expect: { ...searchers([200, 404]), administrator: [200, 200], recruiter: [200, 200] } },
  { endpoint: 'GET /v1/opportunities/search', call: (w, t) => w.get('/v1/opportunities/search?size=1', t), expect: seekers(200) },
  { endpoint: 'GET /v1/opportunities/:id', call: (w, t, x) => w.get(`/v1/opportunities/${x.opportunity}`, t), expect: { ...seekers([200, 404]), administrator: [200, 200] } },
  { endpoint: 'POST /v1/searches/:id/clicks', call: (w, t, x) => w.send('POST', `/v1/searches/${x.search}/clicks`, t, { resultId: x.candidate }), expect: everyone([204, 404]) },
  { endpoint: 'POST /v1/talent-pools', call: (w, t) => w.send('POST', '/v1/talent-pools', t, { name: `Pool ${Math.random()}`, query: { country: 'CM' } }), expect: searchers(201) },
  { endpoint: 'GET /v1/talent-pools', call: (w, t) => w.get('/v1/talent-pools', t), expect: searchers(200) },
  { endpoint: 'GET /v1/talent-pools/:id', call: (w, t, x) => w.get(`/v1/talent-pools/${x.pool}`, t), expect: searchers([200, 404]) },
  { endpoint: 'POST /v1/talent-pools/:id/run', call: (w, t, x) => w.send('POST', `/v1/talent-pools/${x.pool}/run`, t), expect: searchers([200, 404]) },
  { endpoint: 'POST /v1/saved-searches', call: (w, t) => w.send('POST', '/v1/saved-searches', t, { name: `Saved ${Math.random()}`, audience: 'candidates', query: {} }), expect: searchers(201) },
  { endpoint: 'GET /v1/saved-searches', call: (w, t) => w.get('/v1/saved-searches', t), expect: everyone(200) },
  { endpoint: 'GET /v1/saved-searches/:id', call: (w, t, x) => w.get(`/v1/saved-searches/${x.saved}`, t), expect: everyone([200, 404]) },
  {
    endpoint: 'POST /v1/saved-searches/:id/run', call: (w, t, x) => w.send('POST', `/v1/saved-searches/${x.saved}/run`, t),
    // Running needs the right to search the saved search's audience.
    expect: { ...everyone([200, 404]), funder: [403, 404], volunteer: [403, 404] },
  },
  { endpoint: 'GET /v1/me/recommendations', call: (w, t) => w.get('/v1/me/recommendations?size=3', t), expect: { ...seekers(200), administrator: 403 } },
  { endpoint: 'GET /v1/me/skill-gaps', call: (w, t) => w.get('/v1/me/skill-gaps?size=3', t), expect: { ...seekers(200), administrator: 403 } },
  // No role check: only the person a recommendation was served to can move it.
  { endpoint: 'POST /v1/recommendations/:id/events', call: (w, t, x) => w.send('POST', `/v1/recommendations/${x.recommendation}/events`, t, { event: 'viewed' }), expect: { ...everyone([404, 404]), beneficiary: [200, 404] } },
  { endpoint: 'GET /v1/opportunities/:id/candidates', call: (w, t, x) => w.get(`/v1/opportunities/${x.ownOpportunity}/candidates?size=3`, t), expect: { ...searchers([200, 404]), administrator: [200, 200] } },
  // Deletes last: they remove the targets.
  { endpoint: 'DELETE /v1/talent-pools/:id', call: (w, t, x) => w.send('DELETE', `/v1/talent-pools/${x.pool}`, t), expect: searchers([204, 404]) },
  { endpoint: 'DELETE /v1/saved-searches/:id', call: (w, t, x) => w.send('DELETE', `/v1/saved-searches/${x.saved}`, t), expect: everyone([204, 404]) },
];

describe('authorisation matrix', function () {
  this.timeout(300_000);
  let world: SearchWorld;
  const tokens = new Map<Caller, string | undefined>();
  const own = new Map<Caller, Targets>();
  let foreign: Targets;
  let reach: { orgB: string; outsider: string; hidden: string; draft: string };

  before(async () => {
    world = await searchWorld();
    const db = world.db;
    // Organisation A runs programmes whose participants include public, searchable people.
    const { rows: [home] } = await db.raw(`
      SELECT p.organization_id AS org, c.id AS candidate FROM programs p JOIN program_enrollments pe ON pe.program_id = p.id
      JOIN users u ON u.id = pe.user_id JOIN candidates c ON c.user_id = u.id
      WHERE ${SEARCHABLE_CANDIDATE} AND c.profile_visibility = 'public' AND NOT c.confidential_search ORDER BY c.id LIMIT 1`);
    const programOf = async (org: string) => db('programs as p').join('program_enrollments as pe', 'pe.program_id', 'p.id').where('p.organization_id', org).orderBy('p.id').first('p.id', 'pe.program_type');
    const homeProgram = await programOf(home.org);
    // Organisation B runs programmes too (its own people, out of A's reach).
    const orgB = (await db('programs as p').join('program_enrollments as pe', 'pe.program_id', 'p.id').whereNot('p.organization_id', home.org).orderBy('p.organization_id').first('p.organization_id')).organization_id as string;
    const otherProgram = await programOf(orgB);
    // Searchable people (consent to be searched) with the visibility and programme each cell needs.
    const person = async (visibility: 'public' | 'network', program: { id: string; program_type: string }, confidentialTowards?: string) => {
      const user = await world.beneficiary('IDP');
      await db('candidates').where({ user_id: user }).update({ profile_visibility: visibility, confidential_search: !!confidentialTowards, current_organization_id: confidentialTowards ?? null });
      await db('consent_records').insert({ user_id: user, consent_type: 'profile_search', granted: true, policy_version: '2.1', source: 'test', granted_at: new Date() });
      await db('program_enrollments').insert({ user_id: user, program_id: program.id, program_type: program.program_type });
      return (await db('candidates').where({ user_id: user }).first('id')).id as string;
    };
    const confidential = await person('public', homeProgram, home.org);
    const homeNetwork = await person('network', homeProgram);
    const otherNetwork = await person('network', otherProgram);
    const otherPublic = await person('public', otherProgram);
    const { rows: [hidden] } = await db.raw(`
      SELECT c.id FROM candidates c JOIN users u ON u.id = c.user_id
      WHERE NOT EXISTS (SELECT 1 FROM consent_records cr WHERE cr.user_id = u.id AND cr.consent_type = 'profile_search' AND cr.granted AND cr.revoked_at IS NULL)
      ORDER BY c.id LIMIT 1`);
    const open = await db('opportunities').where({ status: 'active', is_for_vulnerable: false }).whereRaw('cardinality(eligible_categories) = 0')
      .where('published_at', '<=', '2026-11-01').where((q) => q.whereNull('application_deadline').orWhere('application_deadline', '>=', '2026-11-01')).orderBy('id').first('id');
    const draft = await db('opportunities').where({ status: 'draft' }).orderBy('id').first('id');

    const stored = async (user: string, org: string | null, audience: 'candidates' | 'opportunities') => {
      const [pool] = org ? await db('talent_pools').insert({ organization_id: org, owner_user_id: user, name: `Own pool ${user}`, query: JSON.stringify({ country: 'CM' }) }).returning('id') : [{ id: undefined }];
      const [saved] = await db('saved_searches').insert({ user_id: user, organization_id: org, name: `Own ${user}`, audience, query: JSON.stringify({}) }).returning('id');
      const [search] = await db('search_queries').insert({ user_id: user, organization_id: org, audience, filters: '{}', results_count: 0 }).returning('id');
      return { pool: pool.id as string, saved: saved.id as string, search: search.id as string };
    };
    const outsider = await world.member(orgB);
    const recommendationFor = async (candidate: string) => (await db('recommendations').insert({ candidate_id: candidate, opportunity_id: open.id, match_score: 0.5, model_version: 'test' }).returning('id'))[0].id as string;
    const [homeOpportunity] = await db('opportunities').insert({ type: 'INTERNSHIP', title: 'Data clerk', description: 'Records and spreadsheets', organization_id: home.org, status: 'active', published_at: new Date('2026-10-01') }).returning('id');
    // Open and published, of organisation B, and only for returning migrants (the beneficiary is an IDP).
    const [otherOpportunity] = await db('opportunities').insert({
      type: 'INTERNSHIP', title: 'Market survey assistant', description: 'Interviews and tallies', organization_id: orgB, status: 'active',
      published_at: new Date('2026-10-01'), eligible_categories: ['RETURNING_MIGRANT'], is_for_vulnerable: true,
    }).returning('id');
    // The world is shared with the oracle test: what Postgres holds, the index holds too.
    await world.reindexRows('opportunities', [homeOpportunity.id, otherOpportunity.id]);
    await world.reindexRows('candidates', [confidential, homeNetwork, otherNetwork, otherPublic]);
    foreign = {
      candidate: confidential, networkCandidate: otherNetwork, publicCandidate: otherPublic, opportunity: otherOpportunity.id,
      ...(await stored(outsider, orgB, 'candidates')), recommendation: await recommendationFor(home.candidate), ownOpportunity: otherOpportunity.id,
    };
    reach = { orgB, outsider, hidden: hidden.id, draft: draft.id };

    for (const caller of CALLERS) {
      if (caller === 'none') {
        tokens.set(caller, undefined);
        own.set(caller, foreign);
        continue;
      }
      const user = caller === 'beneficiary' ? await world.beneficiary('IDP') : await world.member(home.org);
      if (caller === 'beneficiary') await db('consent_records').insert({ user_id: user, consent_type: 'matching', granted: true, policy_version: '2.1', source: 'test', granted_at: new Date() });
      const ownCandidate = caller === 'beneficiary' ? (await db('candidates').where({ user_id: user }).first('id')).id as string : undefined;
      const org = caller === 'beneficiary' ? null : home.org;
      tokens.set(caller, world.token({ sub: user, ...(org ? { org } : {}), roles: [caller] }));
      const audience = caller === 'beneficiary' ? 'opportunities' : 'candidates';
      // Callers who may not hold a pool still get their organisation's shared pool as "own".
      const mine = await stored(user, org ?? home.org, audience);
      if (!org) await db('talent_pools').where({ id: mine.pool }).update({ visibility: 'organization' });
      own.set(caller, { candidate: home.candidate, networkCandidate: homeNetwork, publicCandidate: home.candidate, opportunity: open.id, ...mine, recommendation: ownCandidate ? await recommendationFor(ownCandidate) : foreign.recommendation, ownOpportunity: homeOpportunity.id });
    }
  });

  it('answers every cell with the expected status and a coded error', async () => {
    const mismatches: string[] = [];
    let cells = 0;
    for (const row of MATRIX) {
      for (const caller of CALLERS) {
        const expected = row.expect[caller];
        const [ownStatus, foreignStatus] = Array.isArray(expected) ? expected : [expected, expected];
        for (const [which, target, status] of [['own', own.get(caller)!, ownStatus], ['foreign', foreign, foreignStatus]] as const) {
          cells++;
          const response = await row.call(world, tokens.get(caller), target);
          if (response.status !== status) mismatches.push(`${row.endpoint} as ${caller} on ${which}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)?.slice(0, 200)}`);
          if (response.status >= 400 && typeof response.body?.error?.code !== 'string') mismatches.push(`${row.endpoint} as ${caller} on ${which}: error without a code`);
        }
      }
    }
    expect(mismatches, mismatches.join('\n')).to.deep.equal([]);
    expect(cells).to.equal(MATRIX.length * CALLERS.length * 2);
  });

  it('the foreign objects exist and are visible to a caller whose scope they are in', async () => {
    const asB = (role: Role) => world.token({ sub: reach.outsider, org: reach.orgB, roles: [role] });
    const migrant = world.token({ sub: await world.beneficiary('RETURNING_MIGRANT'), roles: ['beneficiary'] });
    const admin = tokens.get('administrator');
    const cells: Array<[string, string | undefined, string, number]> = [
      // Confidential towards A only: B's recruiters find it.
      ['B recruiter', asB('recruiter'), `/v1/candidates/${foreign.candidate}`, 200],
      // In B's programme: B's recruiters and partners reach it through the programme.
      ['B recruiter', asB('recruiter'), `/v1/candidates/${foreign.networkCandidate}`, 200],
      ['B partner', asB('ngo_partner'), `/v1/candidates/${foreign.networkCandidate}`, 200],
      ['B partner', asB('institution_admin'), `/v1/candidates/${foreign.publicCandidate}`, 200],
      // Eligible beneficiaries find the opportunity; its organisation ranks candidates for it.
      ['returning migrant', migrant, `/v1/opportunities/${foreign.opportunity}`, 200],
      ['B recruiter', asB('recruiter'), `/v1/opportunities/${foreign.ownOpportunity}/candidates?size=3`, 200],
      // Not in the index at all: no one, administrators included, opens these.
      ['administrator', admin, `/v1/candidates/${reach.hidden}`, 404],
      ['administrator', admin, `/v1/opportunities/${reach.draft}`, 404],
    ];
    const mismatches: string[] = [];
    for (const [who, token, path, status] of cells) {
      const response = await world.get(path, token);
      if (response.status !== status) mismatches.push(`${path} as ${who}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)?.slice(0, 200)}`);
    }
    expect(mismatches, mismatches.join('\n')).to.deep.equal([]);
  });
});
