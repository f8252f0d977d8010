/** Organisations of every type with their members, volunteers, subscriptions and payments. */
import { LOCATIONS } from '../data/locations.js';
import { ORG_NAME_PARTS } from '../data/names.js';
import { INDUSTRIES } from '../data/text.js';
import { DAY, DemoWorld, K, USER_COLUMNS, VOLUNTEERS_PER_CSR, fill, iso, isoDate, slugify, t } from '../world.js';
import { MEMBER_TITLES, MEMBER_USER_TYPE, ORG_DESCRIPTIONS, PLANS, ROLE_OF_ORG_TYPE } from '../content.js';

function organizationTables() {
  return {
    organizations: t('organizations', 'id, name, type, industry, company_size, location_id, country, website, description, registration_number, contact_email, verified, verification_status, status, subscription_tier, introduction_credits, created_at, updated_at'),
    users: t('users', USER_COLUMNS),
    members: t('organization_members', 'id, organization_id, user_id, role, job_title, department, can_search, can_send_introductions, can_create_roles, can_manage_billing, joined_at, created_at, updated_at'),
    userRoles: t('user_roles', 'user_id, role_id'),
    subscriptions: t('company_subscriptions', 'id, organization_id, plan_id, status, billing_cycle, start_date, end_date, next_billing_date, auto_renew'),
    payments: t('payments', 'id, organization_id, subscription_id, amount, currency, payment_method, payment_gateway, transaction_reference, status, failure_reason, paid_at, created_at, updated_at'),
  };
}

export function generateOrganizations(world: DemoWorld) {
  const b = organizationTables();
  const r = world.rng(K.org);
  const names = new Set<string>();
  for (let org = 0; org < world.orgCount; org++) {
    const type = world.orgType(org);
    const region = world.orgRegion(org);
    const location = r.weighted(world.locationsByRegion[region], world.locationWeights[region]);
    const loc = LOCATIONS[location]!;
    let name = `${r.pick(ORG_NAME_PARTS.prefixes)} ${r.pick(ORG_NAME_PARTS.cores)} ${r.pick(ORG_NAME_PARTS.suffixes[type] ?? ORG_NAME_PARTS.suffixes.employer!)}`.replace(/\s+/g, ' ').trim();
    if (names.has(name)) name = `${name} ${loc.city}`;
    if (names.has(name)) name = `${name} ${org}`;
    names.add(name);
    const industry = type === 'ngo' ? 'Non-profit' : type === 'government' ? 'Public Sector' : r.pick(INDUSTRIES);
    const created = world.daysAgo(r, 900, 200);
    const verified = r.chance(0.7);
    const tier = type === 'employer' || type === 'private_sector' ? r.weighted(['trial', 'basic', 'professional', 'enterprise'], [20, 35, 30, 15]) : null;
    const domain = slugify(name).slice(0, 40);
    b.organizations.add([
      world.id(K.org, org), name, type, industry, r.pick(['1-10', '11-50', '51-200', '201-500', '500+']), world.id(K.location, location), loc.country,
      `https://${domain}.example.org`, fill(ORG_DESCRIPTIONS[type], { name, city: loc.city, industry }), `RC/${loc.country}/${100000 + org}`, `contact@${domain}.example.org`,
      verified, verified ? (tier === 'enterprise' ? 'premium' : 'verified') : 'pending', r.chance(0.97) ? 'active' : 'inactive', tier, tier ? r.int(0, 40) : 0, iso(created), iso(created + r.int(0, 100) * DAY),
    ]);
    const members = world.memberCount(org);
    for (let k = 0; k < members; k++) {
      const userIndex = org * 4 + k;
      const [first, last] = world.personName(r, region);
      const userId = world.memberUserId(org, k);
      const joined = created + r.int(0, 120) * DAY;
      b.users.add([userId, `${slugify(first)}.${slugify(last)}.${userIndex}@${domain}.example.org`, null, first, last, MEMBER_USER_TYPE[type], 'ACTIVE', region === 'CM' && r.chance(0.7) ? 'fr' : 'en', true, r.chance(0.5), 100, iso(world.daysAgo(r, 30)), iso(world.daysAgo(r, 30)), iso(joined), iso(joined)]);
      const role = k === 0 ? 'owner' : r.pick(['admin', 'recruiter', 'member', 'analyst'] as const);
      b.members.add([world.id(K.member, userIndex), world.id(K.org, org), userId, role, r.pick(MEMBER_TITLES[type]), type === 'csr_company' ? 'Corporate Responsibility' : 'People & Talent',
        true, role !== 'analyst', role !== 'analyst', role === 'owner', iso(joined), iso(joined), iso(joined)]);
      b.userRoles.add([userId, world.id(K.role, ROLE_OF_ORG_TYPE[type])]);
    }
    if (tier && tier !== 'trial') {
      const planIndex = PLANS.findIndex((p) => p.tier === tier);
      const subscriptionId = world.id(K.subscription, org);
      const annual = r.chance(0.3);
      const start = world.now - r.int(60, 700) * DAY;
      b.subscriptions.add([subscriptionId, world.id(K.org, org), world.id(K.plan, planIndex), r.chance(0.9) ? 'active' : 'past_due', annual ? 'annual' : 'monthly', isoDate(start), null, isoDate(world.now + r.int(1, 30) * DAY), true]);
      const plan = PLANS[planIndex]!;
      const step = annual ? 365 : 30;
      let n = 0;
      for (let at = start; at <= world.now; at += step * DAY, n++) {
        const failed = r.chance(0.04);
        const amount = annual ? plan.annual : plan.monthly;
        const method = r.pick(['bank_transfer', 'card', 'paystack', 'flutterwave'] as const);
        b.payments.add([world.id(K.payment, org * 1000 + n), world.id(K.org, org), subscriptionId, amount, 'NGN', method, method === 'paystack' || method === 'flutterwave' ? method : null,
          `TX-${world.seed}-${org}-${n}`, failed ? 'failed' : 'successful', failed ? 'Card declined by issuer' : null, failed ? null : iso(at), iso(at), iso(at)]);
      }
    }
  }
  // Volunteers of CSR companies are members too (they run the sessions).
  for (let k = 0; k < world.plan.organizations.csr_company; k++) {
    const org = world.orgOffsets.csr_company + k;
    for (let v = 0; v < VOLUNTEERS_PER_CSR; v++) {
      const index = org * VOLUNTEERS_PER_CSR + v;
      const [first, last] = world.personName(r, 'EU');
      const joined = world.daysAgo(r, 700, 30);
      const userId = world.id(K.volunteer, index);
      b.users.add([userId, `${slugify(first)}.${slugify(last)}.v${index}@volunteers.example.org`, null, first, last, 'VOLUNTEER', 'ACTIVE', r.chance(0.3) ? 'fr' : 'en', true, false, 80, iso(world.daysAgo(r, 40)), iso(world.daysAgo(r, 40)), iso(joined), iso(joined)]);
      b.members.add([world.id(K.member, 10_000_000 + index), world.id(K.org, org), userId, 'member', 'Volunteer mentor', 'Employee volunteering', false, false, false, false, iso(joined), iso(joined), iso(joined)]);
    }
  }
  return b;
}
