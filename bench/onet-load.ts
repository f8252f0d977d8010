/**
 * Writes the O*NET benchmark into a (fresh, migrated) Postgres database as the platform's own
 * rows: skills into the taxonomy, organisations, locations, users with consent to be searched
 * and matched, candidates with their skills and past titles, opportunities with required and
 * preferred skills. The indexer then builds the search documents from these rows exactly as
 * it does in production.
 */
import type { Knex } from 'knex';
import { CITIES, slugOf, type Benchmark } from './onet-benchmark.js';

const BATCH = 1000;

async function insertAll(db: Knex, table: string, rows: Array<Record<string, unknown>>, returning?: string[]): Promise<Array<Record<string, any>>> {
  const out: Array<Record<string, any>> = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    if (returning) out.push(...(await db(table).insert(chunk).returning(returning)));
    else await db(table).insert(chunk);
  }
  return out;
}

export async function loadBenchmark(db: Knex, bench: Benchmark): Promise<{ organizations: string[]; recruiters: string[]; users: string[] }> {
  const AS_OF = bench.asOf;
  const skillRows = await insertAll(db, 'skills', [...bench.skills].map(([slug, label]) => ({ slug, skill_name: label, skill_category: 'technology' })), ['id', 'slug']);
  const skillId = new Map(skillRows.map((r) => [r.slug as string, r.id as string]));
  const locations = await insertAll(db, 'locations', CITIES.map((c) => ({ country: 'US', region: c.region, city: c.city, latitude: c.lat, longitude: c.lon })), ['id']);
  const organizations = (await insertAll(db, 'organizations', Array.from({ length: 20 }, (_, i) => ({ name: `O*NET evaluation employer ${i + 1}`, type: 'employer', status: 'active' })), ['id'])).map((r) => r.id as string);
  // One recruiter per employer, who may search (what GET /v1/opportunities/:id/candidates asks of the caller).
  const recruiters = (await insertAll(db, 'users', organizations.map((_, i) => ({
    email: `onet-eval-recruiter-${i}@example.org`, first_name: 'Eval', last_name: `Recruiter ${i}`, user_type: 'EMPLOYER', status: 'ACTIVE', preferred_language: 'en',
  })), ['id'])).map((r) => r.id as string);
  await insertAll(db, 'organization_members', organizations.map((organization_id, i) => ({ organization_id, user_id: recruiters[i], role: 'recruiter', can_search: true })));

  const users = await insertAll(db, 'users', bench.candidates.map((c, i) => ({
    email: `onet-eval-${i}@example.org`, first_name: 'Eval', last_name: `Person ${i}`, user_type: c.category ? 'BENEFICIARY' : 'PROFESSIONAL', status: 'ACTIVE', preferred_language: 'en',
  })), ['id']);
  const userOf = users.map((u) => u.id as string);
  await insertAll(db, 'consent_records', userOf.flatMap((user_id) => ['profile_search', 'matching'].map((consent_type) => ({ user_id, consent_type, granted: true, granted_at: AS_OF }))));
  await insertAll(db, 'candidates', bench.candidates.map((c, i) => ({
    id: c.id, user_id: userOf[i], candidate_type: c.category ? 'beneficiary' : 'job_seeker', category: c.category, education_level: c.educationLevel,
    years_experience: c.years, headline: c.title, summary: c.summary, current_title: c.title, location_id: locations[c.city]!.id, mobility: c.mobility,
    profile_visibility: 'public', open_to_opportunities: true, last_active_at: new Date(AS_OF.getTime() - 86_400_000),
  })));
  await insertAll(db, 'candidate_experience', bench.candidates.filter((c) => c.pastTitle).map((c) => ({
    candidate_id: c.id, company_name: 'Previous employer', job_title: c.pastTitle, employment_type: 'full_time', start_date: '2020-01-01', end_date: '2023-12-31',
  })));
  await insertAll(db, 'candidate_skills', bench.candidates.flatMap((c) => [...new Map(c.skills.map((s) => [slugOf(s.label), s])).values()].map((s) => ({
    candidate_id: c.id, skill_id: skillId.get(slugOf(s.label)), source: s.declared ? 'declared' : 'inferred', confidence: s.declared ? null : 0.8,
  }))));

  await insertAll(db, 'opportunities', bench.opportunities.map((o) => ({
    id: o.id, type: 'PERMANENT_EMPLOYMENT', title: o.title, description: o.description, language: 'en', organization_id: organizations[o.organization],
    location_id: locations[o.city]!.id, remote_option: o.remote, required_education: o.requiredEducation, experience_min_years: o.experienceMin, experience_max_years: o.experienceMax,
    eligible_categories: o.eligibleCategories, is_for_vulnerable: o.isForVulnerable, status: o.status, published_at: o.publishedAt,
    application_deadline: o.deadline ? o.deadline.toISOString().slice(0, 10) : null,
  })));
  await insertAll(db, 'opportunity_skills', bench.opportunities.flatMap((o) => [
    ...o.requiredSkills.map((slug) => ({ opportunity_id: o.id, skill_id: skillId.get(slug), requirement: 'required' })),
    ...o.preferredSkills.filter((slug) => !o.requiredSkills.includes(slug)).map((slug) => ({ opportunity_id: o.id, skill_id: skillId.get(slug), requirement: 'preferred' })),
  ]));
  return { organizations, recruiters, users: userOf };
}
