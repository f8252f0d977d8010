/**
 * Property-based tests (fast-check) on every query parameter of the search endpoints: for
 * any mix of valid, borderline and hostile values, the API never answers 5xx, and every
 * error carries a stable code and says which parameter was wrong.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { searchWorld, type SearchWorld } from './search-world.js';
import { CANDIDATE_SEARCH_PARAMETERS, OPPORTUNITY_SEARCH_PARAMETERS } from '../src/api/openapi-search.js';

// Every documented parameter (the contract test checks the document against the readers).
const CANDIDATE_PARAMS = CANDIDATE_SEARCH_PARAMETERS.map((p) => p.name);
const OPPORTUNITY_PARAMS = OPPORTUNITY_SEARCH_PARAMETERS.map((p) => p.name);

/** Values that are valid for some parameter, borderline for others, and hostile for all. */
const value = fc.oneof(
  fc.constantFrom('', ' ', 'true', 'false', '0', '-1', '1', '100', '101', '1e309', 'NaN', '3.5', '4.0,9.7', '91,0', 'CM', 'CM,NG', 'cm',
    'welding', 'fr:B2', 'en:Z9', 'UNDERGRADUATE', 'IDP', 'remote', 'only', 'distance', 'relevance', 'newest', 'all', 'any', 'skills,country',
    '2026-12-01', '2026-13-45', '00000000-0000-4000-8000-000000000000', 'not-a-uuid', 'eyJhIjpbMV0sImYiOiJ4In0', '%', '\\', '"', '*', '?', 'a'.repeat(300),
    '{"bool":{}}', '<script>', 'Ω≈ç√', '\u0000', '😀'),
  fc.string({ maxLength: 40 }),
  fc.integer().map(String),
  fc.double({ noNaN: false }).map(String),
);

/** A value each parameter accepts, so the property also reaches the engine, not only the validator. */
const VALID: Record<string, fc.Arbitrary<string>> = {
  q: fc.oneof(fc.constantFrom('welder', 'soudeur', 'excel', 'drivr', 'gestion de projet', 'nurse assistant'), fc.string({ minLength: 1, maxLength: 30 })),
  skills: fc.constantFrom('welding', 'plumbing', 'customer-service', 'welding,plumbing'),
  skills_mode: fc.constantFrom('any', 'all'),
  near: fc.tuple(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true })).map(([a, b]) => `${a.toFixed(4)},${b.toFixed(4)}`),
  country: fc.constantFrom('CM', 'NG', 'ZA', 'CM,NG'),
  region: fc.constantFrom('Centre', 'Littoral', 'Lagos'),
  city: fc.constantFrom('Yaoundé', 'Douala', 'Lagos'),
  education_min: fc.constantFrom('PRIMARY', 'SECONDARY', 'UNDERGRADUATE'),
  education: fc.constantFrom('PRIMARY', 'SECONDARY', 'UNDERGRADUATE'),
  experience_min: fc.integer({ min: 0, max: 10 }).map(String),
  experience_max: fc.integer({ min: 10, max: 80 }).map(String),
  languages: fc.constantFrom('fr', 'en:B2', 'fr:C1,en'),
  notice_max_days: fc.integer({ min: 0, max: 730 }).map(String),
  open_to_opportunities: fc.constantFrom('true', 'false'),
  willing_to_relocate: fc.constantFrom('true', 'false'),
  salary_max: fc.integer({ min: 0, max: 10_000_000 }).map(String),
  salary_min: fc.integer({ min: 0, max: 10_000_000 }).map(String),
  salary_currency: fc.constantFrom('XAF', 'NGN', 'EUR'),
  verification: fc.constantFrom('basic', 'full,premium'),
  category: fc.constantFrom('IDP', 'RETURNING_MIGRANT,IDP'),
  candidate_type: fc.constantFrom('beneficiary', 'professional,student'),
  mobility: fc.constantFrom('local', 'national,international'),
  completeness_min: fc.integer({ min: 0, max: 100 }).map(String),
  radius_km: fc.integer({ min: 1, max: 2000 }).map(String),
  sort: fc.constantFrom('relevance', 'experience', 'last_active', 'newest', 'deadline', 'salary'),
  size: fc.integer({ min: 1, max: 100 }).map(String),
  facets: fc.constantFrom('skills', 'country,region', 'type,sector'),
  type: fc.constantFrom('INTERNSHIP', 'PERMANENT_EMPLOYMENT,MICRO_CREDIT'),
  sector: fc.constantFrom('health', 'construction'),
  remote: fc.constantFrom('include', 'only', 'exclude'),
  remote_option: fc.constantFrom('remote', 'on_site,hybrid'),
  contract_type: fc.constantFrom('full_time', 'internship'),
  seniority: fc.constantFrom('entry', 'mid,senior'),
  deadline_after: fc.constantFrom('2026-11-01', '2026-12-15T00:00:00Z'),
  deadline_before: fc.constantFrom('2027-06-01'),
};

/** 400s that are not the validator's: a cursor refused when decoded names itself in details.param. */
const CURSOR_CODES = ['cursor_invalid', 'cursor_mismatch'];

function queryArbitrary(names: string[]) {
  const pair = fc.constantFrom(...names).chain((name) => fc.tuple(fc.constant(name), fc.oneof({ weight: 4, arbitrary: VALID[name] ?? value }, { weight: 1, arbitrary: value })));
  const stray = fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), value);
  return fc.array(fc.oneof({ weight: 19, arbitrary: pair }, { weight: 1, arbitrary: stray }), { minLength: 1, maxLength: 4 }).map((pairs) => {
    const q = new URLSearchParams();
    for (const [name, v] of pairs) q.append(name, v);
    return q.toString();
  });
}

describe('search parameters (property-based)', function () {
  this.timeout(600_000);
  let world: SearchWorld;
  let admin: string;

  before(async () => {
    world = await searchWorld();
    const org = (await world.db('organizations').first('id')).id;
    admin = world.token({ sub: await world.member(org), org, roles: ['administrator'] });
  });

  for (const [path, names] of [['/v1/candidates/search', CANDIDATE_PARAMS], ['/v1/opportunities/search', OPPORTUNITY_PARAMS]] as const) {
    it(`${path}: never a 5xx, and every error has a code and names its parameter`, async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(queryArbitrary(names as unknown as string[]), async (query) => {
          const response = await world.get(`${path}?${query}`, admin);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expect(response.status, `?${query} → ${JSON.stringify(response.body)}`).to.be.below(500);
          if (response.status >= 400) {
            expect(response.body.error.code, `?${query}`).to.be.a('string').and.match(/^[a-z_]+$/);
            expect(response.body.error.message).to.be.a('string').and.not.match(/\bat .*\.ts:\d+|SELECT|opensearch_exception/i);
            if (response.status === 400) {
              const sent = new Set(new URLSearchParams(query).keys());
              const details = response.body.error.details;
              if (CURSOR_CODES.includes(response.body.error.code)) {
                // A cursor that is not this API's, or belongs to another search, is refused after
                // validation (src/search/faceted-query.ts): one parameter, named as details.param.
                expect(details?.param, `?${query} → ${JSON.stringify(response.body)}`).to.equal('cursor');
                expect(sent.has('cursor'), `?${query}: the cursor was blamed but not sent`).to.equal(true);
              } else {
                // Everything else comes from the QueryReader: every problem names a parameter that was sent.
                expect(details?.problems, `?${query} → ${JSON.stringify(response.body)}`).to.be.an('array').that.is.not.empty;
                for (const problem of details.problems) {
                  expect(problem.param, `?${query}: ${JSON.stringify(problem)} names no parameter that was sent`).to.be.a('string').and.be.oneOf([...sent]);
                  expect(problem.message, `?${query}: ${JSON.stringify(problem)}`).to.be.a('string').and.not.equal('');
                }
              }
            }
          } else {
            expect(response.status).to.equal(200);
            expect(response.body.total).to.be.a('number');
          }
        }),
        { numRuns: 250, seed: 20261124 },
      );
      // The generator must reach the search itself, not only the validator.
      expect(statuses.get(200) ?? 0, JSON.stringify([...statuses])).to.be.greaterThan(25);
    });
  }

  it('stored queries of talent pools get the same validation (never a 5xx)', async () => {
    const org = (await world.db('organizations').where({ type: 'employer' }).orderBy('id').offset(7).first('id')).id;
    const token = world.token({ sub: await world.member(org), org, roles: ['recruiter'] });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...CANDIDATE_PARAMS.filter((p) => p !== 'cursor'), 'colour'), fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant(null), fc.object({ maxDepth: 1 }))), async (query) => {
        const response = await world.send('POST', '/v1/talent-pools', token, { name: `Property pool ${n++}`, query });
        expect(response.status, `${JSON.stringify(query)} → ${JSON.stringify(response.body)}`).to.be.oneOf([201, 400]);
        if (response.status === 400) expect(response.body.error.code).to.be.oneOf(['invalid_query', 'invalid_body']);
      }),
      { numRuns: 150, seed: 20261124 },
    );
  });
});
