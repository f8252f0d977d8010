/** Platform activity: searches, analytics events, talent pools, saved searches, referrals, audit. */
import { mix32 } from '../../../domain/random.js';
import { TableBuffer } from '../../copy.js';
import { SKILLS } from '../data/skills.js';
import { LOCATIONS } from '../data/locations.js';
import { OCCUPATIONS } from '../data/occupations.js';
import { DAY, DemoWorld, K, iso, t } from '../world.js';

export function* generateActivity(world: DemoWorld): Generator<Record<string, TableBuffer>> {
  const r = world.rng(K.search);
  const b = {
    searches: t('search_queries', 'id, user_id, organization_id, audience, search_text, filters, results_count, clicked_ids, search_duration_ms, searched_at'),
    events: t('analytics_events', 'id, user_id, session_id, event_type, entity_type, entity_id, properties, occurred_at'),
    pools: t('talent_pools', 'id, organization_id, owner_user_id, name, visibility, config, created_at, updated_at'),
    poolMembers: t('talent_pool_members', 'talent_pool_id, candidate_id, added_by, notes, added_at'),
    saved: t('saved_searches', 'id, user_id, organization_id, name, audience, query, alerts_enabled, last_run_at, last_result_count'),
    referrals: t('referrals', 'id, referrer_id, candidate_id, opportunity_id, payout_amount, currency, status, milestones'),
    audit: t('audit_logs', 'id, user_id, organization_id, action, entity_type, entity_id, changes, created_at'),
  };
  const searches = Math.round(world.plan.candidates / 4);
  for (let q = 0; q < searches; q++) {
    const org = world.hiringOrgs[r.int(0, world.hiringOrgs.length - 1)]!;
    const occ = OCCUPATIONS[r.int(0, OCCUPATIONS.length - 1)]!;
    b.searches.add([world.id(K.search, q), world.memberUserId(org, 0), world.id(K.org, org), 'candidates', r.chance(0.5) ? occ.title : SKILLS[world.skillIndex.get(r.pick(occ.requiredSkills))!]!.name,
      { skills: occ.requiredSkills.slice(0, 2), country: LOCATIONS[r.pick(world.locationsByRegion[world.orgRegion(org)])]!.country }, r.int(0, 400), [], r.int(8, 180), iso(world.daysAgo(r, 365))]);
    if (b.searches.rows >= 50_000) yield b;
  }
  const events = Math.round(world.plan.candidates / 5);
  for (let e = 0; e < events; e++) {
    const i = r.int(0, world.plan.candidates - 1);
    const type = r.weighted(['page_view', 'opportunity_view', 'search', 'profile_update', 'login'], [40, 25, 15, 10, 10]);
    b.events.add([world.id(K.event, e), world.id(K.user, i), `s-${mix32(e).toString(36)}`, type, type === 'opportunity_view' ? 'opportunity' : null,
      type === 'opportunity_view' ? world.id(K.opportunity, r.int(0, world.plan.opportunities - 1)) : null, { device: r.pick(['android', 'ios', 'web']) }, iso(world.daysAgo(r, 365))]);
    if (b.events.rows >= 50_000) yield b;
  }
  let pool = 0;
  for (let k = 0; k < world.plan.organizations.employer; k++) {
    const org = world.orgOffsets.employer + k;
    const pools = r.weighted([0, 1, 2], [50, 35, 15]);
    for (let p = 0; p < pools; p++) {
      const poolId = world.id(K.pool, pool++);
      const created = world.daysAgo(r, 300, 10);
      b.pools.add([poolId, world.id(K.org, org), world.memberUserId(org, 0), `${r.pick(['Finance leaders', 'Operations bench', 'Technology leads', 'Graduate pipeline', 'Sales managers'])} ${p + 1}`, r.chance(0.6) ? 'private' : 'organization', { refresh: 'weekly' }, iso(created), iso(created)]);
      const members = new Set<number>();
      for (let m = 0; m < r.int(5, 20); m++) {
        const i = world.findCandidate(r, (prof) => prof.type === 'professional' || prof.type === 'job_seeker');
        if (i === undefined || members.has(i)) continue;
        members.add(i);
        b.poolMembers.add([poolId, world.id(K.candidate, i), world.memberUserId(org, 0), null, iso(created + r.int(0, 10) * DAY)]);
      }
    }
    if (r.chance(0.3)) {
      b.saved.add([world.id(K.savedSearch, k), world.memberUserId(org, 0), world.id(K.org, org), 'Senior finance in Lagos', 'candidates', { q: 'finance director', region: 'Lagos', skills: ['financial-analysis'] }, r.chance(0.5), iso(world.daysAgo(r, 30)), r.int(0, 120)]);
    }
  }
  const referrals = Math.max(5, Math.round(world.plan.candidates / 500));
  for (let f = 0; f < referrals; f++) {
    const a = r.int(0, world.plan.candidates - 1);
    const c = (a + 1 + r.int(0, world.plan.candidates - 2)) % world.plan.candidates;
    b.referrals.add([world.id(K.referral, f), world.id(K.user, a), world.id(K.user, c), world.id(K.opportunity, r.int(0, world.plan.opportunities - 1)), r.pick([0, 5000, 10000, 25000]), 'NGN', r.pick(['pending', 'qualified', 'paid', 'rejected'] as const), []]);
  }
  for (let a = 0; a < Math.min(2_000, world.orgCount); a++) {
    const org = a % world.orgCount;
    b.audit.add([world.id(K.audit, a), world.memberUserId(org, 0), world.id(K.org, org), 'organization.update', 'organization', world.id(K.org, org), { website: { from: null, to: 'updated' } }, iso(world.daysAgo(r, 300))]);
  }
  yield b;
}
