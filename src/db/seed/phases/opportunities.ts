/** Opportunities of the nine OIM types, with required and preferred skills. */
import { Random } from '../../../domain/random.js';
import { pgArrayOf } from '../../copy.js';
import { SKILLS } from '../data/skills.js';
import { OCCUPATIONS } from '../data/occupations.js';
import type { OccupationSeed } from '../data/types.js';
import { CATEGORIES, CURRENCY, DAY, DemoWorld, EXECUTIVE, K, OPPORTUNITY_TYPES, SALARY, SENIOR, iso, isoDate, roundTo, slugify, t } from '../world.js';
import { DATA_SOURCES } from '../content.js';

function opportunityTables() {
  return {
    opportunities: t('opportunities', 'id, type, title, description, requirements, language, organization_id, created_by_user_id, location_id, remote_option, sector, seniority, salary_min, salary_max, salary_currency, contract_type, duration_months, required_education, experience_min_years, experience_max_years, investment_required, amount, is_for_vulnerable, eligible_categories, is_confidential, status, application_deadline, external_url, source_id, source, seo_slug, view_count, published_at, closed_at, created_at, updated_at'),
    oppSkills: t('opportunity_skills', 'id, opportunity_id, skill_id, requirement, min_proficiency, min_years'),
  };
}

export function generateOpportunities(world: DemoWorld, start: number, end: number) {
  const b = opportunityTables();
  for (let j = start; j < end; j++) {
    const r = world.rng(K.opportunity, j);
    const occ = OCCUPATIONS[world.opportunityOccupation(j)]!;
    const org = world.opportunityOrg(j);
    const region = world.orgRegion(org);
    const location = r.weighted(world.locationsByRegion[region], world.locationWeights[region]);
    const type = j < OPPORTUNITY_TYPES.length ? OPPORTUNITY_TYPES[j]! : opportunityType(r, occ);
    const french = (region === 'CM' && r.chance(0.65)) || (region === 'EU' && r.chance(0.2));
    const senior = SENIOR.has(occ.seniority);
    const [low, high] = SALARY[region];
    const base = senior ? high * r.normal(0.45, 0.12, 0.2, 0.9) : low * r.normal(2.2, 0.6, 1, 5);
    const paid = type === 'PERMANENT_EMPLOYMENT' || type === 'TEMPORARY_EMPLOYMENT' || type === 'INTERNSHIP' || type === 'APPRENTICESHIP';
    const salaryMin = paid ? roundTo(base, 1000) : null;
    const salaryMax = paid ? roundTo(base * r.normal(1.3, 0.1, 1.1, 1.6), 1000) : null;
    const status = r.weighted(['active', 'draft', 'paused', 'closed', 'filled', 'expired'] as const, [75, 8, 4, 5, 5, 3]);
    const created = world.daysAgo(r, 365, 3);
    const published = status === 'draft' ? null : created + r.int(0, 3) * DAY;
    const forVulnerable = region === 'CM' ? r.chance(0.55) : r.chance(0.1);
    const eligible = forVulnerable ? r.sample(CATEGORIES, r.int(1, 3)) : [];
    const expMin = EXECUTIVE.has(occ.seniority) ? r.int(10, 15) : senior ? r.int(5, 8) : r.int(0, 2);
    const title = french ? occ.titleFr : occ.title;
    const grantLike = type === 'BUSINESS_GRANT' || type === 'MICRO_CREDIT' || type === 'ENTREPRENEURSHIP';
    const creator = world.memberUserId(org, 0);
    b.opportunities.add([
      world.id(K.opportunity, j), type, grantLike ? `${title} — ${french ? 'appui à l’entrepreneuriat' : 'enterprise support'}` : title,
      french ? occ.descriptionFr : occ.description, french ? `Compétences requises : ${occ.requiredSkills.map((s) => SKILLS[world.skillIndex.get(s)!]!.nameFr).join(', ')}.` : `Required skills: ${occ.requiredSkills.map((s) => SKILLS[world.skillIndex.get(s)!]!.name).join(', ')}.`,
      french ? 'fr' : 'en', world.id(K.org, org), creator, world.id(K.location, location),
      r.weighted(['on_site', 'hybrid', 'remote'] as const, senior ? [50, 35, 15] : [85, 10, 5]), occ.sector, occ.seniority,
      salaryMin, salaryMax, paid ? CURRENCY[region] : null, contractFor(type, r), type === 'PERMANENT_EMPLOYMENT' ? null : r.int(2, 24), occ.minEducation,
      expMin, expMin + r.int(3, 10), type === 'ENTREPRENEURSHIP' ? roundTo(SALARY[region][0] * r.normal(0.5, 0.2, 0.1, 2), 1000) : null,
      grantLike ? roundTo(SALARY[region][0] * r.normal(1.5, 0.5, 0.3, 4), 1000) : null, forVulnerable, pgArrayOf(eligible),
      EXECUTIVE.has(occ.seniority) && r.chance(0.35), status, published ? isoDate(world.now + r.int(-20, 90) * DAY) : null,
      j % 7 === 0 ? `https://jobs.example.org/${slugify(title)}-${j}` : null, j % 7 === 0 ? world.id(K.source, j % DATA_SOURCES.length) : null, j % 7 === 0 ? 'partner_feed' : 'platform',
      `${slugify(title).slice(0, 160)}-${j.toString(36)}`, r.int(0, 400), published ? iso(published) : null,
      status === 'closed' || status === 'filled' ? iso(world.daysAgo(r, 20)) : null, iso(created), iso(created + r.int(0, 10) * DAY),
    ]);
    let s = 0;
    for (const slug of occ.requiredSkills) {
      b.oppSkills.add([world.id(K.oppSkill, j * 16 + s++), world.id(K.opportunity, j), world.id(K.skill, world.skillIndex.get(slug)!), 'required', senior ? 'advanced' : r.pick(['beginner', 'intermediate'] as const), senior ? r.int(3, 8) : null]);
    }
    for (const slug of occ.preferredSkills) {
      b.oppSkills.add([world.id(K.oppSkill, j * 16 + s++), world.id(K.opportunity, j), world.id(K.skill, world.skillIndex.get(slug)!), 'preferred', null, null]);
    }
  }
  return b;
}

function opportunityType(r: Random, occ: OccupationSeed): (typeof OPPORTUNITY_TYPES)[number] {
  if (SENIOR.has(occ.seniority)) return r.weighted(['PERMANENT_EMPLOYMENT', 'TEMPORARY_EMPLOYMENT', 'PROFESSIONAL_CERTIFICATION'] as const, [85, 10, 5]);
  return r.weighted(OPPORTUNITY_TYPES, [30, 18, 10, 10, 8, 10, 4, 5, 5]);
}

function contractFor(type: string, r: Random): string | null {
  switch (type) {
    case 'PERMANENT_EMPLOYMENT': return r.chance(0.85) ? 'full_time' : 'part_time';
    case 'TEMPORARY_EMPLOYMENT': return r.pick(['temporary', 'contract', 'part_time']);
    case 'INTERNSHIP': return 'internship';
    case 'APPRENTICESHIP': return 'apprenticeship';
    case 'ENTREPRENEURSHIP': case 'BUSINESS_GRANT': case 'MICRO_CREDIT': return 'self_employed';
    default: return null;
  }
}
