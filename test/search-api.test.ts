/**
 * The search API's behaviour on demo data in real Postgres and OpenSearch: privacy
 * (confidential search, consent, masked names, private pools), text search (typos, synonyms,
 * French, highlights), sorting and cursor paging, logging of searches, clicks and profile
 * views, beneficiary eligibility, talent pools and saved searches, and errors with codes.
 */
import { expect } from 'chai';
import { SEARCHABLE_CANDIDATE } from '../src/db/documents.js';
import { searchWorld, WORLD_AS_OF, type SearchWorld } from './search-world.js';
import { parameterNames } from '../src/api/validate.js';
import { readCandidateSearch, readOpportunitySearch } from '../src/api/search-params.js';
import { CANDIDATE_RESULT_FIELDS } from '../src/search/candidate-query.js';
import { OPPORTUNITY_RESULT_FIELDS } from '../src/search/opportunity-query.js';

async function allPages(world: SearchWorld, path: string, token: string): Promise<{ ids: string[]; total: number; bodies: any[] }> {
  const ids: string[] = [];
  const bodies: any[] = [];
  let cursor: string | null = null;
  let total = 0;
  do {
    const response = await world.get(`${path}${path.includes('?') ? '&' : '?'}size=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    bodies.push(response.body);
    ids.push(...response.body.results.map((r: { id: string }) => r.id));
    total = response.body.total;
    cursor = response.body.nextCursor;
  } while (cursor);
  return { ids, total, bodies };
}

describe('search API', function () {
  this.timeout(300_000);
  let world: SearchWorld;
  let admin: string;

  before(async () => {
    world = await searchWorld();
    const anyOrg = (await world.db('organizations').first('id')).id;
    admin = world.token({ sub: await world.member(anyOrg), roles: ['administrator'] });
  });

  describe('privacy', () => {
    it('never shows a confidential candidate to their current employer, and shows them to others', async () => {
      // Employer and outsider must see the same scope but for confidential search: recruiters
      // of organisations with no programmes, cohorts or accepted introductions see exactly the
      // public profiles (privacyClauses), less those confidential towards their organisation.
      const bare = `NOT EXISTS (SELECT 1 FROM programs p WHERE p.organization_id = o.id)
        AND NOT EXISTS (SELECT 1 FROM cohorts ch WHERE ch.institution_id = o.id OR ch.sponsor_id = o.id)
        AND NOT EXISTS (SELECT 1 FROM introduction_requests ir WHERE ir.organization_id = o.id AND ir.status = 'accepted')`;
      const { rows } = await world.db.raw(`
        SELECT c.id, c.current_organization_id AS employer, c.candidate_type, l.country FROM candidates c JOIN users u ON u.id = c.user_id JOIN locations l ON l.id = c.location_id
        JOIN organizations o ON o.id = c.current_organization_id
        WHERE ${SEARCHABLE_CANDIDATE} AND c.confidential_search AND c.profile_visibility = 'public' AND ${bare}
        ORDER BY c.id LIMIT 3`);
      expect(rows.length, 'demo data has confidential public candidates of an organisation with no programmes, cohorts or introductions').to.be.greaterThan(0);
      // An outsider whose organisation is nobody's confidential employer: it sees every public profile.
      const { rows: [{ id: other }] } = await world.db.raw(`
        SELECT o.id FROM organizations o WHERE ${bare}
          AND NOT EXISTS (SELECT 1 FROM candidates c WHERE c.current_organization_id = o.id AND c.confidential_search)
        ORDER BY o.id LIMIT 1`);
      const outsider = world.token({ sub: await world.member(other), org: other, roles: ['recruiter'] });
      const bucket = (body: any, facet: string, value: string) => body.facets[facet].find((b: { value: string }) => b.value === value)?.count ?? 0;
      for (const row of rows) {
        // Everyone the employer should not see in this country (the row among them).
        const { rows: hiddenRows } = await world.db.raw(`
          SELECT c.id, c.candidate_type FROM candidates c JOIN users u ON u.id = c.user_id JOIN locations l ON l.id = c.location_id
          WHERE ${SEARCHABLE_CANDIDATE} AND c.confidential_search AND c.profile_visibility = 'public' AND c.current_organization_id = ? AND l.country = ?`, [row.employer, row.country]);
        const hidden = hiddenRows.length;
        const hiddenOfType = hiddenRows.filter((r: { candidate_type: string }) => r.candidate_type === row.candidate_type).length;
        expect(hiddenOfType).to.be.greaterThan(0);
        const employer = world.token({ sub: await world.member(row.employer), org: row.employer, roles: ['recruiter'] });
        const path = `/v1/candidates/search?country=${row.country}&facets=country,candidate_type`;
        const asEmployer = await allPages(world, path, employer);
        const asOutsider = await allPages(world, path, outsider);
        expect(asEmployer.ids).to.not.include(row.id);
        expect(asOutsider.ids).to.include(row.id);
        expect(asEmployer.ids.length).to.equal(asEmployer.total);
        expect(asOutsider.ids.length).to.equal(asOutsider.total);
        // Same scope otherwise: the employer misses exactly its confidential employees, in the
        // hits and in every facet count.
        expect(asEmployer.total).to.equal(asOutsider.total - hidden);
        expect(asOutsider.ids.filter((id) => !asEmployer.ids.includes(id))).to.have.members(hiddenRows.map((r: { id: string }) => r.id));
        const [employerFacets, outsiderFacets] = [asEmployer.bodies[0], asOutsider.bodies[0]];
        expect(bucket(employerFacets, 'country', row.country), 'country facet').to.equal(bucket(outsiderFacets, 'country', row.country) - hidden);
        expect(bucket(employerFacets, 'candidate_type', row.candidate_type), 'candidate_type facet').to.equal(bucket(outsiderFacets, 'candidate_type', row.candidate_type) - hiddenOfType);
        expect((await world.get(`/v1/candidates/${row.id}`, employer)).status).to.equal(404);
        expect((await world.get(`/v1/candidates/${row.id}`, outsider)).status).to.equal(200);
      }
    });

    it('returns only the fields a result shows: nothing kept for scoping, no coordinates', async () => {
      const city = await world.db('locations').whereNotNull('latitude').orderBy('city').first('latitude', 'longitude');
      const shown = new Set([...CANDIDATE_RESULT_FIELDS, 'name', 'displayName', 'masked', 'score', 'highlights', 'distanceKm']);
      for (const path of ['/v1/candidates/search?size=50', `/v1/candidates/search?near=${city.latitude},${city.longitude}&radius_km=2000&size=50`]) {
        const { body } = await world.get(path, admin);
        expect(body.results.length, path).to.be.greaterThan(0);
        for (const result of body.results) {
          const extra = Object.keys(result).filter((key) => !shown.has(key));
          expect(extra, path).to.deep.equal([]);
          // Used only to mask names (the viewer's own introduction) and to compute distances.
          expect(result).to.not.have.any.keys('introduced_organization_ids', 'location');
        }
      }
      const beneficiary = world.token({ sub: await world.beneficiary('IDP'), roles: ['beneficiary'] });
      const { body: one } = await world.get(`/v1/opportunities/search?near=${city.latitude},${city.longitude}&radius_km=2000&size=50`, beneficiary);
      expect(one.results.length).to.be.greaterThan(0);
      for (const result of one.results) {
        expect(Object.keys(result).filter((key) => ![...OPPORTUNITY_RESULT_FIELDS, 'score', 'highlights', 'distanceKm'].includes(key))).to.deep.equal([]);
      }
    });

    it('never shows a candidate without consent to be searched, even to an administrator', async () => {
      const { rows } = await world.db.raw(`
        SELECT c.id FROM candidates c JOIN users u ON u.id = c.user_id
        WHERE c.profile_visibility = 'public' AND NOT EXISTS (SELECT 1 FROM consent_records cr WHERE cr.user_id = u.id AND cr.consent_type = 'profile_search' AND cr.granted AND cr.revoked_at IS NULL)
        ORDER BY c.id LIMIT 5`);
      expect(rows.length, 'demo data has public candidates without consent').to.be.greaterThan(0);
      const everyone = await allPages(world, '/v1/candidates/search?facets=country', admin);
      const { rows: [{ n }] } = await world.db.raw(`SELECT count(*)::int AS n FROM candidates c JOIN users u ON u.id = c.user_id WHERE ${SEARCHABLE_CANDIDATE}`);
      expect(everyone.total).to.equal(n);
      expect(new Set(everyone.ids).size).to.equal(n);
      for (const row of rows) {
        expect(everyone.ids).to.not.include(row.id);
        expect((await world.get(`/v1/candidates/${row.id}`, admin)).status).to.equal(404);
      }
    });

    describe('private, erased and soft-deleted candidates', () => {
      // A candidate a recruiter sees through an accepted introduction (so not only because the
      // profile is public), each change made in Postgres and re-indexed as the stream would.
      const changes: Array<{ what: string; apply(c: { id: string; user_id: string }): Promise<unknown>; undo(c: { id: string; user_id: string }): Promise<unknown> }> = [
        { what: 'made private', apply: (c) => world.db('candidates').where({ id: c.id }).update({ profile_visibility: 'private' }), undo: (c) => world.db('candidates').where({ id: c.id }).update({ profile_visibility: 'public' }) },
        { what: 'erased', apply: (c) => world.db('users').where({ id: c.user_id }).update({ erased_at: WORLD_AS_OF }), undo: (c) => world.db('users').where({ id: c.user_id }).update({ erased_at: null }) },
        { what: 'soft-deleted', apply: (c) => world.db('candidates').where({ id: c.id }).update({ deleted_at: WORLD_AS_OF }), undo: (c) => world.db('candidates').where({ id: c.id }).update({ deleted_at: null }) },
      ];
      for (const change of changes) {
        it(`never shows a candidate ${change.what} to a recruiter`, async () => {
          const { rows: [person] } = await world.db.raw(`
            SELECT c.id, c.user_id, ir.organization_id, l.country, l.city FROM candidates c JOIN users u ON u.id = c.user_id
            JOIN locations l ON l.id = c.location_id JOIN introduction_requests ir ON ir.candidate_id = c.id AND ir.status = 'accepted'
            WHERE c.profile_visibility = 'public' AND c.deleted_at IS NULL AND u.deleted_at IS NULL AND u.erased_at IS NULL AND u.status <> 'DELETED'
              AND EXISTS (SELECT 1 FROM consent_records cr WHERE cr.user_id = u.id AND cr.consent_type = 'profile_search' AND cr.granted AND cr.revoked_at IS NULL)
              AND NOT (c.confidential_search AND c.current_organization_id IS NOT DISTINCT FROM ir.organization_id) AND l.city IS NOT NULL
            ORDER BY c.id DESC LIMIT 1`);
          expect(person, 'demo data has a public, consenting candidate introduced to an organisation').to.exist;
          const recruiter = world.token({ sub: await world.member(person.organization_id), org: person.organization_id, roles: ['recruiter'] });
          const path = `/v1/candidates/search?country=${person.country}&city=${encodeURIComponent(person.city)}`;
          const shown = async () => {
            const found = await allPages(world, path, recruiter);
            const opened = (await world.get(`/v1/candidates/${person.id}`, recruiter)).status;
            return { listed: found.ids.includes(person.id), opened, total: found.total };
          };
          const before = await shown();
          expect(before, 'searchable before the change').to.deep.include({ listed: true, opened: 200 });
          try {
            await change.apply(person);
            await world.reindexRows('candidates', [person.id]);
            const after = await shown();
            expect(after, `${change.what}: gone`).to.deep.include({ listed: false, opened: 404, total: before.total - 1 });
          } finally {
            await change.undo(person);
            await world.reindexRows('candidates', [person.id]);
          }
          expect(await shown(), 'searchable again once restored').to.deep.include({ listed: true, opened: 200 });
        });
      }
    });

    it('masks names until the viewer\'s organisation has an accepted introduction', async () => {
      const { rows: [intro] } = await world.db.raw(`
        SELECT ir.candidate_id, ir.organization_id, u.first_name, u.last_name FROM introduction_requests ir
        JOIN candidates c ON c.id = ir.candidate_id JOIN users u ON u.id = c.user_id
        WHERE ir.status = 'accepted' AND c.profile_visibility = 'public' AND ${SEARCHABLE_CANDIDATE}
          AND NOT (c.confidential_search AND c.current_organization_id IS NOT NULL)
        ORDER BY ir.candidate_id LIMIT 1`);
      expect(intro, 'demo data has an accepted introduction to a public candidate').to.exist;
      const fullName = `${intro.first_name} ${intro.last_name}`;
      const introduced = world.token({ sub: await world.member(intro.organization_id), org: intro.organization_id, roles: ['recruiter'] });
      const stranger = (await world.db('organizations').whereNot({ id: intro.organization_id }).whereNotExists(
        world.db('introduction_requests').whereRaw('organization_id = organizations.id').where({ candidate_id: intro.candidate_id, status: 'accepted' }),
      ).first('id')).id;
      const strangerToken = world.token({ sub: await world.member(stranger), org: stranger, roles: ['recruiter'] });

      const seen = await world.get(`/v1/candidates/${intro.candidate_id}`, introduced);
      expect(seen.status).to.equal(200);
      expect(seen.body).to.include({ name: fullName, displayName: fullName, masked: false });
      const masked = await world.get(`/v1/candidates/${intro.candidate_id}`, strangerToken);
      expect(masked.status).to.equal(200);
      expect(masked.body).to.include({ name: null, masked: true });
      expect(JSON.stringify(masked.body)).to.not.include(intro.last_name);

      const page = await world.get(`/v1/candidates/search?size=100&experience_min=0`, strangerToken);
      for (const result of page.body.results) expect(result).to.include({ name: null, masked: true });
      expect(JSON.stringify(page.body)).to.not.match(/introduced_organization_ids|first_name|last_name/);
      const withIntro = await allPages(world, '/v1/candidates/search', introduced);
      const bodies = withIntro.bodies.flatMap((b) => b.results);
      expect(bodies.find((r: { id: string }) => r.id === intro.candidate_id)).to.include({ name: fullName, masked: false });
      expect(bodies.filter((r: { masked: boolean }) => !r.masked).length).to.be.lessThan(bodies.length);
    });

    it('refuses another organisation\'s private talent pool as a filter (404), and a colleague\'s private one', async () => {
      const [orgA, orgB] = (await world.db('organizations').where({ type: 'employer' }).orderBy('id').limit(2).pluck('id')) as string[];
      const ownerA = await world.member(orgA!);
      const tokenA = world.token({ sub: ownerA, org: orgA, roles: ['recruiter'] });
      const tokenColleague = world.token({ sub: await world.member(orgA!), org: orgA, roles: ['recruiter'] });
      const tokenB = world.token({ sub: await world.member(orgB!), org: orgB, roles: ['recruiter'] });
      const created = await world.send('POST', '/v1/talent-pools', tokenA, { name: 'Private welders', query: { skills: 'welding' } });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const poolId = created.body.id;
      expect((await world.get(`/v1/candidates/search?talent_pool=${poolId}`, tokenA)).status).to.equal(200);
      const foreign = await world.get(`/v1/candidates/search?talent_pool=${poolId}`, tokenB);
      expect(foreign.status).to.equal(404);
      expect(foreign.body.error.code).to.equal('talent_pool_not_found');
      expect((await world.get(`/v1/candidates/search?talent_pool=${poolId}`, tokenColleague)).status).to.equal(404);
      expect((await world.get(`/v1/talent-pools/${poolId}`, tokenB)).status).to.equal(404);
    });
  });

  describe('text search', () => {
    let skill: { slug: string; skill_name: string; skill_name_fr: string; synonyms: string[] };
    let holders: Set<string>;

    before(async () => {
      // A skill many searchable candidates hold, with a French name and a synonym that is
      // not its own name.
      const { rows } = await world.db.raw(`
        SELECT s.slug, s.skill_name, s.skill_name_fr, s.synonyms FROM skills s JOIN candidate_skills cs ON cs.skill_id = s.id
        WHERE s.skill_name_fr IS NOT NULL AND lower(s.skill_name_fr) <> lower(s.skill_name) AND jsonb_array_length(s.synonyms) > 0 AND length(s.skill_name) >= 7
          AND s.skill_name !~ '[^A-Za-z ]'
        GROUP BY s.id ORDER BY count(*) DESC, s.slug LIMIT 1`);
      skill = rows[0];
      expect(skill, 'a skill with a French name and synonyms').to.exist;
      const { rows: ids } = await world.db.raw(`SELECT c.id FROM candidates c JOIN users u ON u.id = c.user_id JOIN candidate_skills cs ON cs.candidate_id = c.id JOIN skills s ON s.id = cs.skill_id WHERE s.slug = ? AND ${SEARCHABLE_CANDIDATE}`, [skill.slug]);
      holders = new Set(ids.map((r: { id: string }) => r.id));
      expect(holders.size).to.be.greaterThan(2);
    });

    const topIds = async (q: string) => {
      const response = await world.get(`/v1/candidates/search?size=${Math.min(holders.size, 10)}&q=${encodeURIComponent(q)}`, admin);
      expect(response.status, JSON.stringify(response.body)).to.equal(200);
      return response.body;
    };

    it('finds people by a skill\'s name, its French name, a synonym and a misspelling, holders first', async () => {
      const misspelt = skill.skill_name.slice(0, 3) + skill.skill_name.slice(4); // one letter dropped
      for (const q of [skill.skill_name, skill.skill_name_fr, skill.synonyms[0]!, misspelt]) {
        const body = await topIds(q);
        expect(body.total, `q=${q}`).to.be.greaterThan(0);
        const top = body.results.slice(0, 3).map((r: { id: string }) => r.id);
        expect(top.filter((id: string) => holders.has(id)).length, `holders rank first for q=${q}`).to.be.greaterThan(0);
      }
    });

    it('highlights the matched words, misspelt ones too', async () => {
      const emphasised = (body: { results: Array<{ highlights?: Record<string, string[]> }> }) =>
        body.results.flatMap((r) => Object.values(r.highlights ?? {}).flat()).flatMap((f) => [...f.matchAll(/<em>([^<]*)<\/em>/g)].map((m) => m[1]!.toLowerCase()));
      const word = skill.skill_name.split(' ').sort((a, b) => b.length - a.length)[0]!;
      expect(emphasised(await topIds(skill.skill_name))).to.include(word.toLowerCase());
      // One letter dropped: the fuzzy match is highlighted as the word the profile has.
      const misspelt = word.slice(0, 3) + word.slice(4);
      expect(emphasised(await topIds(misspelt)), `q=${misspelt}`).to.include(word.toLowerCase());
    });

    it('tolerates a typo in one word while the other words sit in another field', async () => {
      const [person] = await world.db('candidates as c').join('users as u', 'u.id', 'c.user_id').whereRaw(SEARCHABLE_CANDIDATE).orderBy('c.id').limit(1).select('c.id', 'c.headline', 'c.current_title');
      await world.db('candidates').where({ id: person.id }).update({ headline: 'Xylographer', current_title: 'Marquetry' });
      await world.reindexRows('candidates', [person.id]);
      try {
        // "xylografer" is one edit from the headline's word; "marquetry" is only in the titles.
        const body = await topIds('Xylografer Marquetry');
        expect(body.results.map((r: { id: string }) => r.id)).to.include(person.id);
      } finally {
        await world.db('candidates').where({ id: person.id }).update({ headline: person.headline, current_title: person.current_title });
        await world.reindexRows('candidates', [person.id]);
      }
    });

    it('widens a search by a skill named in it only to profiles with every word of one of the skill\'s names', async () => {
      // Two skills. One named by two long words, searched by that name. And one whose English
      // name is a stop word and another word ("IT Support"), searched by its French name: the
      // English name it adds must not shrink to "support" (any profile saying it would match).
      const { rows: cases } = await world.db.raw(`
        (SELECT s.id, s.skill_name, s.skill_name_fr, s.skill_name AS q FROM skills s
          WHERE s.skill_name ~ '^[A-Za-z]{4,}( [A-Za-z]{4,})+$' AND s.skill_name !~* '\\m(with|from|have|this|that|when|what|about)\\M' ORDER BY s.slug LIMIT 1)
        UNION ALL
        (SELECT s.id, s.skill_name, s.skill_name_fr, s.skill_name_fr FROM skills s
          WHERE s.skill_name ~* '^(it|in|on|at|to|for|and|of|no) [A-Za-z]{4,}$' AND s.skill_name_fr ~ '^[A-Za-z ]+$' ORDER BY s.slug LIMIT 1)`);
      expect(cases.length, 'skills of both kinds in the taxonomy').to.equal(2);
      for (const named of cases as Array<{ id: string; skill_name: string; skill_name_fr: string | null; q: string }>) {
        const nameWords = named.skill_name.toLowerCase().split(' ');
        // A searchable candidate who neither holds the skill nor has any word of its names in
        // headline, summary or titles.
        const words = `\\m(${[...nameWords, ...(named.skill_name_fr ?? '').toLowerCase().split(' ').filter(Boolean)].join('|')})\\M`;
        const { rows: [person] } = await world.db.raw(`
          SELECT c.id, c.headline, c.summary FROM candidates c JOIN users u ON u.id = c.user_id
          WHERE ${SEARCHABLE_CANDIDATE}
            AND NOT EXISTS (SELECT 1 FROM candidate_skills cs WHERE cs.candidate_id = c.id AND cs.skill_id = ?)
            AND NOT EXISTS (SELECT 1 FROM candidate_experience e WHERE e.candidate_id = c.id AND e.job_title ~* ?)
            AND concat_ws(' ', c.headline, c.summary, c.current_title) !~* ?
          ORDER BY c.id LIMIT 1`, [named.id, words, words]);
        expect(person, `a candidate unrelated to ${named.skill_name}`).to.exist;
        const total = async () => (await topIds(named.q)).total as number;
        const rewrite = async (summary: string | null) => {
          await world.db('candidates').where({ id: person.id }).update({ summary });
          await world.reindexRows('candidates', [person.id]);
        };
        const before = await total();
        try {
          // One word of the English name (the last: not the stop word) is not the skill: the
          // expansion must not find them…
          await rewrite(`Years of ${nameWords.at(-1)} in several places.`);
          expect(await total(), `q=${named.q}, one word of ${named.skill_name}`).to.equal(before);
          // …while the whole name is (so the count above could have moved).
          await rewrite(`Years of ${named.skill_name} in several places.`);
          expect(await total(), `q=${named.q}, the whole of ${named.skill_name}`).to.equal(before + 1);
        } finally {
          await rewrite(person.summary);
        }
      }
    });

    it('returns nothing rather than everything for text that matches nobody', async () => {
      const body = await topIds('zzqxjv wqxzzk');
      expect(body.total).to.equal(0);
      expect(body.facets.country).to.deep.equal([]);
    });
  });

  describe('sorting and paging', () => {
    it('pages through every result exactly once with cursors', async () => {
      const { total, ids } = await allPages(world, '/v1/candidates/search?open_to_opportunities=true', admin);
      expect(total).to.be.greaterThan(50);
      expect(ids.length).to.equal(total);
      expect(new Set(ids).size).to.equal(total);
    });

    it('sorts by distance, experience and last activity', async () => {
      const city = await world.db('locations').whereNotNull('latitude').orderBy('city').first('latitude', 'longitude');
      const near = `${city.latitude},${city.longitude}`;
      const byDistance = await world.get(`/v1/candidates/search?near=${near}&radius_km=800&sort=distance&size=50`, admin);
      const distances = byDistance.body.results.map((r: { distanceKm: number }) => r.distanceKm);
      expect(distances.length).to.be.greaterThan(1);
      expect(distances).to.deep.equal([...distances].sort((a, b) => a - b));
      expect(Math.max(...distances)).to.be.at.most(800);
      const byExperience = await world.get('/v1/candidates/search?sort=experience&size=50', admin);
      const years = byExperience.body.results.map((r: { experience_years: number }) => r.experience_years ?? -1);
      expect(years).to.deep.equal([...years].sort((a, b) => b - a));
      const byActivity = await world.get('/v1/candidates/search?sort=last_active&size=50', admin);
      const times = byActivity.body.results.map((r: { last_active_at: string | null }) => r.last_active_at ?? '');
      expect(times).to.deep.equal([...times].sort().reverse());
    });

    it('refuses a cursor from another search, and one it never issued', async () => {
      const first = await world.get('/v1/candidates/search?size=5&country=CM', admin);
      expect(first.body.nextCursor).to.be.a('string');
      const other = await world.get(`/v1/candidates/search?size=5&country=NG&cursor=${first.body.nextCursor}`, admin);
      expect(other.status).to.equal(400);
      expect(other.body.error.code).to.equal('cursor_mismatch');
      const forged = await world.get('/v1/candidates/search?cursor=bm90LWEtY3Vyc29y', admin);
      expect(forged.status).to.equal(400);
      expect(forged.body.error.code).to.equal('cursor_invalid');
    });
  });

  describe('logging', () => {
    it('logs each search, accepts its clicks from the searcher only, and logs profile views', async () => {
      const org = (await world.db('organizations').where({ type: 'employer' }).orderBy('id').offset(3).first('id')).id;
      const user = await world.member(org);
      const token = world.token({ sub: user, org, roles: ['recruiter'] });
      const response = await world.get('/v1/candidates/search?q=driver&country=CM&experience_min=1', token);
      expect(response.status).to.equal(200);
      await world.app.flush();
      const logged = await world.db('search_queries').where({ id: response.body.searchId }).first();
      expect(logged).to.include({ user_id: user, organization_id: org, audience: 'candidates', search_text: 'driver', results_count: response.body.total });
      expect(logged.filters).to.deep.include({ country: ['CM'], experienceMin: 1 });
      expect(logged.search_duration_ms).to.be.a('number');

      expect(response.body.results.length, 'the search finds someone to click').to.be.greaterThan(0);
      const clicked = response.body.results[0].id;
      const click = await world.send('POST', `/v1/searches/${response.body.searchId}/clicks`, token, { resultId: clicked, position: 0 });
      expect(click.status, JSON.stringify(click.body)).to.equal(204);
      expect((await world.db('search_queries').where({ id: response.body.searchId }).first()).clicked_ids[0]).to.include({ id: clicked, position: 0 });
      const someoneElse = world.token({ sub: await world.member(org), org, roles: ['recruiter'] });
      expect((await world.send('POST', `/v1/searches/${response.body.searchId}/clicks`, someoneElse, { resultId: clicked })).status).to.equal(404);
      const bad = await world.send('POST', `/v1/searches/${response.body.searchId}/clicks`, token, { resultId: 'x', extra: 1 });
      expect(bad.status).to.equal(400);
      expect(bad.body.error.details.problems.map((p: { param: string }) => p.param)).to.have.members(['resultId', 'extra']);

      const candidate = clicked;
      const view = await world.get(`/v1/candidates/${candidate}?source=search`, token);
      expect(view.status).to.equal(200);
      expect(await world.db('profile_views').where({ viewer_user_id: user, candidate_id: candidate, view_source: 'search', organization_id: org }).first()).to.exist;
    });
  });

  describe('opportunities', () => {
    it('shows a beneficiary without a category nothing reserved for vulnerable groups or other categories', async () => {
      const token = world.token({ sub: await world.beneficiary(null), roles: ['beneficiary'] });
      const { bodies, total } = await allPages(world, '/v1/opportunities/search', token);
      expect(total).to.be.greaterThan(0);
      for (const result of bodies.flatMap((b) => b.results)) {
        expect(result.is_for_vulnerable, result.id).to.equal(false);
        expect(result.eligible_categories ?? [], result.id).to.deep.equal([]);
      }
      const idp = world.token({ sub: await world.beneficiary('IDP'), roles: ['beneficiary'] });
      const asIdp = await allPages(world, '/v1/opportunities/search', idp);
      expect(asIdp.total).to.be.greaterThan(total);
      for (const result of asIdp.bodies.flatMap((b) => b.results)) {
        const categories: string[] = result.eligible_categories ?? [];
        expect(categories.length === 0 || categories.includes('IDP'), result.id).to.equal(true);
      }
    });

    it('never shows a draft, closed or expired opportunity (404 when opened)', async () => {
      const token = world.token({ sub: await world.beneficiary('IDP'), roles: ['beneficiary'] });
      const closed = await world.db('opportunities').whereNot({ status: 'active' }).orderBy('id').limit(5).pluck('id');
      expect(closed.length).to.be.greaterThan(0);
      for (const id of closed) {
        const response = await world.get(`/v1/opportunities/${id}`, token);
        expect(response.status).to.equal(404);
        expect(response.body.error.code).to.equal('opportunity_not_found');
      }
      // Expired by date: still 'active', published, open to an IDP, but its application
      // deadline has passed as of the world's today.
      const { rows: [expired] } = await world.db.raw(`
        SELECT o.id, o.application_deadline FROM opportunities o
        WHERE o.status = 'active' AND o.published_at <= ? AND o.application_deadline < ?
          AND (cardinality(o.eligible_categories) = 0 OR 'IDP' = ANY(o.eligible_categories))
        ORDER BY o.id LIMIT 1`, [WORLD_AS_OF, WORLD_AS_OF]);
      expect(expired, 'demo data has an active opportunity past its deadline').to.exist;
      const listed = async () => (await allPages(world, '/v1/opportunities/search', token)).ids;
      const response = await world.get(`/v1/opportunities/${expired.id}`, token);
      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('opportunity_not_found');
      expect(await listed()).to.not.include(expired.id);
      // The deadline alone kept it out: without one, the same opportunity is shown.
      try {
        await world.db('opportunities').where({ id: expired.id }).update({ application_deadline: null });
        await world.reindexRows('opportunities', [expired.id]);
        expect((await world.get(`/v1/opportunities/${expired.id}`, token)).status).to.equal(200);
        expect(await listed()).to.include(expired.id);
      } finally {
        await world.db('opportunities').where({ id: expired.id }).update({ application_deadline: expired.application_deadline });
        await world.reindexRows('opportunities', [expired.id]);
      }
    });

    it('lets remote opportunities through a location filter unless remote=exclude', async () => {
      const city = await world.db('locations').where({ country: 'CM' }).whereNotNull('latitude').first('latitude', 'longitude');
      const near = `near=${city.latitude},${city.longitude}&radius_km=5`;
      const withRemote = await allPages(world, `/v1/opportunities/search?${near}`, admin);
      const without = await allPages(world, `/v1/opportunities/search?${near}&remote=exclude`, admin);
      expect(withRemote.ids.length).to.equal(withRemote.total);
      expect(without.ids.length).to.equal(without.total);
      const remoteIds = withRemote.bodies.flatMap((b) => b.results).filter((r: { remote_option: string }) => r.remote_option === 'remote').map((r: { id: string }) => r.id);
      expect(remoteIds.length).to.be.greaterThan(0);
      // Exactly the remote ones drop out, and something near the city is left.
      expect(without.total).to.be.greaterThan(0);
      expect(without.total).to.equal(withRemote.total - remoteIds.length);
      expect(without.ids).to.have.members(withRemote.ids.filter((id) => !remoteIds.includes(id)));
    });
  });

  describe('talent pools and saved searches', () => {
    it('runs a talent pool again and lists only the candidates new since the last run', async () => {
      const org = (await world.db('organizations').where({ type: 'employer' }).orderBy('id').offset(5).first('id')).id;
      const token = world.token({ sub: await world.member(org), org, roles: ['recruiter'] });
      const query = { country: 'NG', experience_min: 3 };
      const created = await world.send('POST', '/v1/talent-pools', token, { name: 'Experienced in Nigeria', visibility: 'organization', query });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      expect((await world.send('POST', '/v1/talent-pools', token, { name: 'Experienced in Nigeria', visibility: 'organization', query })).body.error.code).to.equal('name_taken');

      const first = await world.send('POST', `/v1/talent-pools/${created.body.id}/run`, token);
      expect(first.status, JSON.stringify(first.body)).to.equal(200);
      expect(first.body.matches).to.be.greaterThan(0);
      expect(first.body.newCount).to.equal(first.body.matches);
      expect(first.body.previousRunAt).to.equal(null);
      const again = await world.send('POST', `/v1/talent-pools/${created.body.id}/run`, token);
      expect(again.body.newCount).to.equal(0);
      expect(again.body.previousRunAt).to.be.a('string');

      // Someone gains the experience and becomes a match: the next run lists exactly them.
      const { rows: [newcomer] } = await world.db.raw(`
        SELECT c.id FROM candidates c JOIN users u ON u.id = c.user_id JOIN locations l ON l.id = c.location_id
        WHERE l.country = 'NG' AND c.years_experience < 3 AND c.profile_visibility = 'public' AND ${SEARCHABLE_CANDIDATE}
          AND NOT (c.confidential_search AND c.current_organization_id = ?) ORDER BY c.id LIMIT 1`, [org]);
      await world.db('candidates').where({ id: newcomer.id }).update({ years_experience: 4 });
      await world.reindexRows('candidates', [newcomer.id]);
      const third = await world.send('POST', `/v1/talent-pools/${created.body.id}/run`, token);
      expect(third.body.newCount).to.equal(1);
      expect(third.body.new.map((r: { id: string }) => r.id)).to.deep.equal([newcomer.id]);
      expect(third.body.pool.members).to.equal(first.body.matches + 1);
      const listed = await world.get('/v1/talent-pools', token);
      expect(listed.body.results.map((p: { id: string }) => p.id)).to.include(created.body.id);
    });

    it('runs a saved opportunity search again and lists what is new', async () => {
      const token = world.token({ sub: await world.beneficiary('RETURNING_MIGRANT'), roles: ['beneficiary'] });
      const created = await world.send('POST', '/v1/saved-searches', token, { name: 'Anything in Cameroon', audience: 'opportunities', query: { country: 'CM' }, alertsEnabled: true });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const first = await world.send('POST', `/v1/saved-searches/${created.body.id}/run`, token);
      expect(first.status).to.equal(200);
      expect(first.body.newCount).to.equal(first.body.matches);
      const { rows: [draft] } = await world.db.raw(`
        SELECT o.id FROM opportunities o JOIN locations l ON l.id = o.location_id
        WHERE l.country = 'CM' AND o.status = 'draft' AND cardinality(o.eligible_categories) = 0 ORDER BY o.id LIMIT 1`);
      await world.db('opportunities').where({ id: draft.id }).update({ status: 'active', published_at: new Date('2026-10-30T00:00:00Z'), application_deadline: null });
      await world.reindexRows('opportunities', [draft.id]);
      const second = await world.send('POST', `/v1/saved-searches/${created.body.id}/run`, token);
      expect(second.body.newCount).to.equal(1);
      expect(second.body.new[0].id).to.equal(draft.id);
      expect(second.body.savedSearch.lastResultCount).to.equal(first.body.matches + 1);
    });

    it('refuses a stored query with a bad parameter, naming it', async () => {
      const token = world.token({ sub: await world.beneficiary(null), roles: ['beneficiary'] });
      const response = await world.send('POST', '/v1/saved-searches', token, { name: 'Bad', audience: 'opportunities', query: { type: 'ASTRONAUT', colour: 'red' } });
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('invalid_query');
      expect(response.body.error.details.problems.map((p: { param: string }) => p.param)).to.have.members(['type', 'colour']);
    });
  });

  describe('contract', () => {
    it('documents in OpenAPI exactly the parameters each search accepts', async () => {
      const doc = (await world.get('/v1/openapi.json')).body;
      const documented = (path: string) => doc.paths[path].get.parameters.map((p: { name: string }) => p.name).sort();
      expect(documented('/v1/candidates/search')).to.deep.equal(parameterNames((raw) => readCandidateSearch(raw)));
      expect(documented('/v1/opportunities/search')).to.deep.equal(parameterNames((raw) => readOpportunitySearch(raw)));
    });
  });

  describe('errors', () => {
    it('names every bad parameter with a stable code', async () => {
      const response = await world.get('/v1/candidates/search?experience_min=ten&near=200,5&sort=distance&colour=blue&size=0', admin);
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('invalid_parameter');
      const params = response.body.error.details.problems.map((p: { param: string }) => p.param);
      expect(params).to.include.members(['experience_min', 'near', 'sort', 'colour', 'size']);
      const unknown = await world.get('/v1/candidates/search?skils=welding', admin);
      expect(unknown.body.error.code).to.equal('unknown_parameter');
    });

    it('turns away roles that may not search, and recruiters without search rights', async () => {
      const org = (await world.db('organizations').where({ type: 'employer' }).orderBy('id').first('id')).id;
      const funder = world.token({ sub: await world.member(org), org, roles: ['funder'] });
      expect((await world.get('/v1/candidates/search', funder)).body.error.code).to.equal('role_not_allowed');
      const barred = world.token({ sub: await world.member(org, { canSearch: false }), org, roles: ['recruiter'] });
      const refused = await world.get('/v1/candidates/search', barred);
      expect(refused.status).to.equal(403);
      expect(refused.body.error.code).to.equal('search_not_permitted');
      const former = world.token({ sub: await world.member(org, { status: 'inactive' }), org, roles: ['recruiter'] });
      expect((await world.get('/v1/candidates/search', former)).body.error.code).to.equal('not_a_member');
    });
  });
});
