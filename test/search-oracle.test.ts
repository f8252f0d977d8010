/**
 * The oracle test: random filter combinations sent to the search API, by random viewers,
 * against the same questions answered in SQL. Hit counts and every facet's counts must be
 * equal — which checks filters, privacy scoping and disjunctive facets all at once.
 */
import { expect } from 'chai';
import { Random } from '../src/domain/random.js';
import { CANDIDATE_FACETS, candidateSearchQuery, type CandidateSearchParams, type CandidateViewer } from '../src/search/candidate-query.js';
import { facetedBody, facetedRequests, readFacets, searchFaceted } from '../src/search/faceted-query.js';
import { aliasName, type DocumentType } from '../src/search/indices.js';
import { createTaxonomyCache } from '../src/api/taxonomy-cache.js';
import { harness } from './harness.js';
import { OPPORTUNITY_FACETS, opportunitySearchQuery, type OpportunitySearchParams, type OpportunityViewer } from '../src/search/opportunity-query.js';
import { BENEFICIARY_CATEGORIES, CANDIDATE_TYPES, CEFR_LEVELS, CONTRACT_TYPES, EDUCATION_LEVELS, MOBILITIES, OPPORTUNITY_TYPES, REMOTE_OPTIONS, SENIORITIES, VERIFICATION_STATUSES } from '../src/db/models/enums.js';
import { searchWorld, WORLD_AS_OF, type SearchWorld } from './search-world.js';
import { candidateOracle, opportunityOracle } from './search-oracle.js';
import { elasticsearchBackend } from './elasticsearch-node.js';
import { reindex } from '../indexers/backfill.js';

export const CANDIDATE_COMBINATIONS = 200;
export const OPPORTUNITY_COMBINATIONS = 60;

/** The API's parameter names for typed parameters (what a client would send). */
export function candidateQueryString(p: CandidateSearchParams): string {
  const q = new URLSearchParams();
  const put = (name: string, value: unknown) => {
    if (value === undefined) return;
    q.set(name, Array.isArray(value) ? value.join(',') : String(value));
  };
  put('q', p.q);
  put('skills', p.skills);
  put('skills_mode', p.skillsMode);
  if (p.near) put('near', `${p.near.lat},${p.near.lon}`);
  put('radius_km', p.radiusKm);
  put('country', p.country);
  put('region', p.region);
  put('city', p.city);
  put('education_min', p.educationMin);
  put('experience_min', p.experienceMin);
  put('experience_max', p.experienceMax);
  put('languages', p.languages?.map((l) => (l.minLevel ? `${l.code}:${l.minLevel}` : l.code)));
  put('notice_max_days', p.noticeMaxDays);
  put('open_to_opportunities', p.openToOpportunities);
  put('salary_max', p.salaryMax);
  put('verification', p.verification);
  put('category', p.category);
  put('candidate_type', p.candidateType);
  put('mobility', p.mobility);
  put('willing_to_relocate', p.willingToRelocate);
  put('completeness_min', p.completenessMin);
  put('program', p.program);
  put('cohort', p.cohort);
  put('sort', p.sort);
  put('size', p.size);
  return q.toString();
}

export function opportunityQueryString(p: OpportunitySearchParams): string {
  const q = new URLSearchParams();
  const put = (name: string, value: unknown) => {
    if (value === undefined) return;
    q.set(name, Array.isArray(value) ? value.join(',') : String(value));
  };
  put('q', p.q);
  put('type', p.type);
  put('sector', p.sector);
  put('country', p.country);
  put('region', p.region);
  put('city', p.city);
  if (p.near) put('near', `${p.near.lat},${p.near.lon}`);
  put('radius_km', p.radiusKm);
  put('remote', p.remote);
  put('salary_min', p.salaryMin);
  put('education', p.education);
  put('deadline_after', p.deadlineAfter);
  put('deadline_before', p.deadlineBefore);
  put('contract_type', p.contractType);
  put('seniority', p.seniority);
  put('remote_option', p.remoteOption);
  put('skills', p.skills);
  put('size', p.size);
  return q.toString();
}

interface Pools {
  skills: string[];
  countries: string[];
  regions: string[];
  cities: Array<{ city: string; lat: number; lon: number }>;
  programs: string[];
  cohorts: string[];
  languages: string[];
  sectors: string[];
  opportunitySkills: string[];
}

async function valuePools(world: SearchWorld): Promise<Pools> {
  const db = world.db;
  const col = async (sql: string) => (await db.raw(sql)).rows.map((r: { v: string }) => r.v);
  return {
    skills: await col('SELECT s.slug AS v FROM candidate_skills cs JOIN skills s ON s.id = cs.skill_id GROUP BY s.slug ORDER BY count(*) DESC, s.slug LIMIT 40'),
    countries: await col('SELECT DISTINCT country AS v FROM locations ORDER BY 1'),
    regions: await col('SELECT DISTINCT region AS v FROM locations WHERE region IS NOT NULL ORDER BY 1'),
    cities: (await db.raw('SELECT DISTINCT city, latitude::float AS lat, longitude::float AS lon FROM locations WHERE latitude IS NOT NULL ORDER BY city LIMIT 60')).rows,
    programs: await col('SELECT id::text AS v FROM programs ORDER BY id LIMIT 40'),
    cohorts: await col('SELECT id::text AS v FROM cohorts ORDER BY id LIMIT 40'),
    languages: await col('SELECT DISTINCT language_code AS v FROM candidate_languages ORDER BY 1'),
    sectors: await col('SELECT DISTINCT sector AS v FROM opportunities WHERE sector IS NOT NULL ORDER BY 1'),
    opportunitySkills: await col('SELECT s.slug AS v FROM opportunity_skills os JOIN skills s ON s.id = os.skill_id GROUP BY s.slug ORDER BY count(*) DESC, s.slug LIMIT 40'),
  };
}

/** One to four filters, drawn from every kind the API has (as recruiters combine them). */
function randomCandidateParams(r: Random, pools: Pools): CandidateSearchParams {
  const p: CandidateSearchParams = {};
  const setters: Array<() => void> = [
    () => { p.skills = r.sample(pools.skills, r.int(1, 3)); if (r.chance(0.4)) p.skillsMode = 'all'; },
    () => { p.country = r.sample(pools.countries, r.int(1, 2)); },
    () => { p.region = r.sample(pools.regions, r.int(1, 4)); },
    () => { p.educationMin = r.pick(EDUCATION_LEVELS); },
    () => { p.experienceMin = r.int(0, 8); if (r.chance(0.5)) p.experienceMax = p.experienceMin + r.int(0, 12); },
    () => { p.languages = r.sample(pools.languages, r.int(1, 2)).map((code) => (r.chance(0.6) ? { code, minLevel: r.pick(CEFR_LEVELS) } : { code })); },
    () => { p.noticeMaxDays = r.pick([0, 14, 30, 60, 90]); },
    () => { p.openToOpportunities = r.chance(0.7); },
    () => { p.salaryMax = r.int(1, 40) * 25_000; },
    () => { p.verification = r.sample(VERIFICATION_STATUSES, r.int(1, 2)); },
    () => { p.category = r.sample(BENEFICIARY_CATEGORIES, r.int(1, 3)); },
    () => { p.candidateType = r.sample(CANDIDATE_TYPES, r.int(1, 2)); },
    () => { p.mobility = r.sample(MOBILITIES, r.int(1, 2)); },
    () => { p.willingToRelocate = r.chance(0.5); },
    () => { p.completenessMin = r.int(2, 9) * 10; },
    () => { const c = r.pick(pools.cities); p.near = { lat: c.lat, lon: c.lon }; p.radiusKm = r.pick([10, 50, 150, 400, 1200]); },
    () => { p.city = [...new Set(r.sample(pools.cities, r.int(1, 3)).map((c) => c.city))]; },
    // The caller's own programmes and cohorts: another organisation's are refused (404).
    () => { if (pools.programs.length) p.program = r.sample(pools.programs, r.int(1, 3)); },
    () => { if (pools.cohorts.length) p.cohort = r.sample(pools.cohorts, r.int(1, 3)); },
  ];
  for (const set of r.sample(setters, r.int(1, 4))) set();
  return p;
}

function randomOpportunityParams(r: Random, pools: Pools): OpportunitySearchParams {
  const p: OpportunitySearchParams = {};
  const setters: Array<() => void> = [
    () => { p.type = r.sample(OPPORTUNITY_TYPES, r.int(1, 3)); },
    () => { p.sector = r.sample(pools.sectors, r.int(1, 3)); },
    () => { p.country = r.sample(pools.countries, r.int(1, 2)); },
    () => { p.region = r.sample(pools.regions, r.int(1, 4)); },
    () => { const c = r.pick(pools.cities); p.near = { lat: c.lat, lon: c.lon }; p.radiusKm = r.pick([25, 100, 300, 1000]); },
    // A place by city too, so that city, `near` and `remote` are checked in combination.
    () => { p.city = [...new Set(r.sample(pools.cities, r.int(1, 3)).map((c) => c.city))]; },
    () => { p.remote = r.pick(['include', 'only', 'exclude'] as const); },
    () => { p.salaryMin = r.int(1, 30) * 20_000; },
    () => { p.education = r.pick(EDUCATION_LEVELS); },
    () => { p.deadlineAfter = new Date(WORLD_AS_OF.getTime() + r.int(0, 60) * 86400_000).toISOString(); },
    () => { p.deadlineBefore = new Date(WORLD_AS_OF.getTime() + r.int(61, 200) * 86400_000).toISOString(); },
    () => { p.contractType = r.sample(CONTRACT_TYPES, r.int(1, 2)); },
    () => { p.seniority = r.sample(SENIORITIES, r.int(1, 2)); },
    () => { p.remoteOption = r.sample(REMOTE_OPTIONS, r.int(1, 2)); },
    () => { p.skills = r.sample(pools.opportunitySkills, r.int(1, 3)); },
  ];
  for (const set of r.sample(setters, r.int(1, 3))) set();
  return p;
}

const sizesOf = (facets: Record<string, { kind: string; size?: number }>) => Object.fromEntries(Object.entries(facets).map(([n, f]) => [n, f.size ?? 0]));

describe('search oracle: API answers equal SQL answers', function () {
  this.timeout(600_000);
  let world: SearchWorld;
  let pools: Pools;
  const candidateViewers: Array<{ viewer: CandidateViewer; token: string }> = [];
  /** The values a viewer may filter by: programmes and cohorts of its own organisation (administrators: any). */
  const poolsFor = (viewer: CandidateViewer): Pools => (viewer.kind === 'administrator' ? pools : { ...pools, programs: viewer.programIds, cohorts: viewer.cohortIds });
  const opportunityViewers: Array<{ viewer: OpportunityViewer; token: string }> = [];

  before(async () => {
    world = await searchWorld();
    pools = await valuePools(world);
    const db = world.db;
    const scope = async (org: string) => ({
      programIds: (await db('programs').where({ organization_id: org }).pluck('id')).sort() as string[],
      cohortIds: (await db('cohorts').where({ institution_id: org }).orWhere({ sponsor_id: org }).pluck('id')).sort() as string[],
    });
    candidateViewers.push({ viewer: { kind: 'administrator' }, token: world.token({ sub: await world.member((await db('organizations').first('id')).id), roles: ['administrator'] }) });
    // Recruiters of organisations with confidential employees, with programmes, with accepted introductions.
    const recruiterOrgs: string[] = (await db.raw(`
      (SELECT current_organization_id AS id FROM candidates WHERE confidential_search AND current_organization_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 2)
      UNION (SELECT organization_id FROM introduction_requests WHERE status = 'accepted' GROUP BY 1 ORDER BY count(*) DESC LIMIT 2)
      UNION (SELECT organization_id FROM programs GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)`)).rows.map((r: { id: string }) => r.id);
    for (const org of recruiterOrgs) {
      candidateViewers.push({ viewer: { kind: 'recruiter', organizationId: org, ...(await scope(org)) }, token: world.token({ sub: await world.member(org), org, roles: ['recruiter'] }) });
    }
    const partnerOrgs: string[] = (await db.raw(`(SELECT institution_id AS id FROM cohorts GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) UNION (SELECT organization_id FROM programs GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)`)).rows.map((r: { id: string }) => r.id);
    for (const org of partnerOrgs) {
      candidateViewers.push({ viewer: { kind: 'partner', organizationId: org, ...(await scope(org)) }, token: world.token({ sub: await world.member(org), org, roles: ['institution_admin'] }) });
    }
    opportunityViewers.push({ viewer: { kind: 'administrator' }, token: candidateViewers[0]!.token });
    for (const category of [null, 'IDP', 'RETURNING_MIGRANT']) {
      opportunityViewers.push({ viewer: { kind: 'beneficiary', category }, token: world.token({ sub: await world.beneficiary(category), roles: ['beneficiary'] }) });
    }
  });

  it(`agrees on hits and every facet count for ${CANDIDATE_COMBINATIONS} candidate searches`, async () => {
    const r = new Random(2026, 4);
    let nonEmpty = 0;
    for (let i = 0; i < CANDIDATE_COMBINATIONS; i++) {
      const { viewer, token } = candidateViewers[i % candidateViewers.length]!;
      const params = randomCandidateParams(r, poolsFor(viewer));
      const query = candidateQueryString(params);
      const response = await world.get(`/v1/candidates/search?${query}`, token);
      expect(response.status, `${query}: ${JSON.stringify(response.body)}`).to.equal(200);
      const expected = await candidateOracle(world.db, viewer, params, sizesOf(CANDIDATE_FACETS));
      const context = `combination ${i} (${viewer.kind}) ?${query}`;
      expect(response.body.total, `${context}: total`).to.equal(expected.total);
      for (const facet of Object.keys(CANDIDATE_FACETS)) {
        const got = response.body.facets[facet].map((b: { value: string; count: number }) => ({ value: b.value, count: b.count }));
        expect(got, `${context}: facet ${facet}`).to.deep.equal(expected.facets[facet]);
      }
      if (expected.total > 0) nonEmpty++;
    }
    // The combinations must exercise real result sets, not a stream of empty answers.
    expect(nonEmpty).to.be.greaterThan(CANDIDATE_COMBINATIONS / 2);
  });

  // Searches without text are split into several engine requests (facetedRequests); with text
  // they stay one. The oracle above checks the split form against SQL; this checks the one-request
  // form against the split one, on the same kind of combinations.
  it('counts the same in one engine request as in the split requests of a search without text', async () => {
    const r = new Random(2026, 6);
    const taxonomy = await createTaxonomyCache(world.db, harness().log).get();
    const alias = aliasName(world.prefix, 'candidates');
    let split = 0;
    for (let i = 0; i < 60; i++) {
      const params = randomCandidateParams(r, pools);
      const query = candidateSearchQuery(params, candidateViewers[i % candidateViewers.length]!.viewer, taxonomy);
      const requests = facetedRequests(query);
      if (requests.length > 1) split++;
      const one = await searchFaceted(world.search, alias, [facetedBody(query)]);
      const several = await searchFaceted(world.search, alias, requests);
      const context = `combination ${i}: ${JSON.stringify(params)}`;
      expect(several.total, context).to.equal(one.total);
      expect(several.hits.map((h) => h.id), context).to.deep.equal(one.hits.map((h) => h.id));
      expect(readFacets(several.aggregations, query.facets), context).to.deep.equal(readFacets(one.aggregations, query.facets));
    }
    expect(split, 'combinations that were split').to.be.greaterThan(30);
  });

  it('finds nothing by the exact phrase that every word does not find, so the phrase only ranks', async () => {
    // everyWordClause nests the phrase under the every-word clause, where it is advanced only for
    // the documents that clause found: right only while a phrase match is an every-word match.
    const taxonomy = await createTaxonomyCache(world.db, harness().log).get();
    const texts = async (sql: string) => ((await world.db.raw(sql)).rows as Array<{ t: string }>).map((r) => r.t);
    const phrases = [
      ...(await texts(`SELECT DISTINCT current_title AS t FROM candidates WHERE current_title LIKE '% %' ORDER BY 1 LIMIT 30`)),
      ...(await texts(`SELECT DISTINCT skill_name AS t FROM skills WHERE skill_name LIKE '% %' ORDER BY 1 LIMIT 20`)),
      ...(await texts(`SELECT DISTINCT skill_name_fr AS t FROM skills WHERE skill_name_fr LIKE '% %' ORDER BY 1 LIMIT 20`)),
      ...(await texts(`SELECT DISTINCT title AS t FROM opportunities WHERE title LIKE '% %' ORDER BY 1 LIMIT 30`)),
    ];
    const nestedIn = (text: unknown) => ((text as { bool: { should: Array<Record<string, any>> } }).bool.should)
      .find((clause) => clause.bool?.must?.[0]?.multi_match?.type === 'cross_fields' && clause.bool?.should?.[0]?.multi_match?.type === 'phrase') as { bool: { must: unknown[]; should: unknown[] } } | undefined;
    const builders: Array<[DocumentType, (q: string) => unknown]> = [
      ['candidates', (q) => candidateSearchQuery({ q }, { kind: 'administrator' }, taxonomy).text],
      ['opportunities', (q) => opportunitySearchQuery({ q }, { kind: 'administrator' }, taxonomy, WORLD_AS_OF).text],
    ];
    for (const [type, textOf] of builders) {
      let found = 0;
      for (const q of phrases) {
        const nested = nestedIn(textOf(q));
        expect(nested, `${type}: "${q}" has its phrase under the every-word clause`).to.not.equal(undefined);
        const [everyWord] = nested!.bool.must;
        const [phrase] = nested!.bool.should;
        const alias = aliasName(world.prefix, type);
        const outside = await world.search.search(alias, { size: 0, track_total_hits: true, query: { bool: { must: [phrase], must_not: [everyWord] } } });
        expect(outside.total, `${type}: documents with the phrase "${q}" but not every word`).to.equal(0);
        found += (await world.search.search(alias, { size: 0, track_total_hits: true, query: phrase })).total;
      }
      expect(found, `${type}: the phrases find documents`).to.be.greaterThan(0);
    }
  });

  // The same API on Elasticsearch (the local node, or ELASTICSEARCH_URL's cluster), its indices
  // built from the same database: the SQL answers hold there too, and the pages are the same
  // as on OpenSearch. Searches without text only: the local node has no language analysers
  // (test/elasticsearch-node.ts), so text would be matched differently there by design.
  it('gives the SQL answers and the same pages on Elasticsearch, for 60 candidate and 30 opportunity searches', async function () {
    this.timeout(600_000);
    const elasticsearch = await elasticsearchBackend();
    const deps = { db: world.db, search: elasticsearch, log: harness().log, prefix: world.prefix };
    for (const type of ['candidates', 'opportunities'] as const) {
      await reindex(deps, type);
      await elasticsearch.refresh(aliasName(world.prefix, type));
    }
    const api = await world.apiWith(elasticsearch);
    const onElasticsearch = async (path: string, token: string) => {
      const response = await fetch(api.base + path, { headers: { authorization: `Bearer ${token}` } });
      return { status: response.status, body: await response.json() as any };
    };
    const ids = (body: { results: Array<{ id: string }> }) => body.results.map((hit) => hit.id);
    const counts = (buckets: Array<{ value: string; count: number }>) => buckets.map(({ value, count }) => ({ value, count }));
    try {
      const r = new Random(2026, 7);
      let nonEmpty = 0;
      for (let i = 0; i < 60; i++) {
        const { viewer, token } = candidateViewers[i % candidateViewers.length]!;
        const params = randomCandidateParams(r, poolsFor(viewer));
        const path = `/v1/candidates/search?${candidateQueryString(params)}`;
        const [elastic, open] = [await onElasticsearch(path, token), await world.get(path, token)];
        expect(elastic.status, `${path}: ${JSON.stringify(elastic.body)}`).to.equal(200);
        const expected = await candidateOracle(world.db, viewer, params, sizesOf(CANDIDATE_FACETS));
        expect(elastic.body.total, `${path} (${viewer.kind}): total`).to.equal(expected.total);
        for (const facet of Object.keys(CANDIDATE_FACETS)) {
          expect(counts(elastic.body.facets[facet]), `${path}: facet ${facet}`).to.deep.equal(expected.facets[facet]);
        }
        expect(ids(elastic.body), `${path}: the page`).to.deep.equal(ids(open.body));
        if (expected.total > 0) nonEmpty++;
      }
      expect(nonEmpty).to.be.greaterThan(30);
      for (let i = 0; i < 30; i++) {
        const params = randomOpportunityParams(r, pools);
        const { viewer, token } = opportunityViewers[i % opportunityViewers.length]!;
        const path = `/v1/opportunities/search?${opportunityQueryString(params)}`;
        const [elastic, open] = [await onElasticsearch(path, token), await world.get(path, token)];
        expect(elastic.status, `${path}: ${JSON.stringify(elastic.body)}`).to.equal(200);
        const expected = await opportunityOracle(world.db, viewer, params, WORLD_AS_OF, sizesOf(OPPORTUNITY_FACETS));
        expect(elastic.body.total, `${path}: total`).to.equal(expected.total);
        for (const facet of Object.keys(OPPORTUNITY_FACETS)) {
          expect(counts(elastic.body.facets[facet]), `${path}: facet ${facet}`).to.deep.equal(expected.facets[facet]);
        }
        expect(ids(elastic.body), `${path}: the page`).to.deep.equal(ids(open.body));
      }
    } finally {
      await api.close();
      await elasticsearch.close();
    }
  });

  it(`agrees on hits and every facet count for ${OPPORTUNITY_COMBINATIONS} opportunity searches`, async () => {
    const r = new Random(2026, 5);
    let nonEmpty = 0;
    for (let i = 0; i < OPPORTUNITY_COMBINATIONS; i++) {
      const params = randomOpportunityParams(r, pools);
      const { viewer, token } = opportunityViewers[i % opportunityViewers.length]!;
      const query = opportunityQueryString(params);
      const response = await world.get(`/v1/opportunities/search?${query}`, token);
      expect(response.status, `${query}: ${JSON.stringify(response.body)}`).to.equal(200);
      const expected = await opportunityOracle(world.db, viewer, params, WORLD_AS_OF, sizesOf(OPPORTUNITY_FACETS));
      const context = `combination ${i} (${JSON.stringify(viewer)}) ?${query}`;
      expect(response.body.total, `${context}: total`).to.equal(expected.total);
      for (const facet of Object.keys(OPPORTUNITY_FACETS)) {
        const got = response.body.facets[facet].map((b: { value: string; count: number }) => ({ value: b.value, count: b.count }));
        expect(got, `${context}: facet ${facet}`).to.deep.equal(expected.facets[facet]);
      }
      if (expected.total > 0) nonEmpty++;
    }
    expect(nonEmpty).to.be.greaterThan(OPPORTUNITY_COMBINATIONS / 3);
  });
});
