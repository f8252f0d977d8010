/** Reference data: locations, industries, the skills taxonomy, data sources, RBAC and plans. */
import { SKILLS } from '../data/skills.js';
import { LOCATIONS } from '../data/locations.js';
import { INDUSTRIES } from '../data/text.js';
import { DAY, DemoWorld, K, iso, slugify, t } from '../world.js';
import { DATA_SOURCES, PLANS, RESOURCES, ROLES } from '../content.js';

function referenceTables() {
  return {
    locations: t('locations', 'id, name, country, region, city, latitude, longitude, created_at, updated_at'),
    industries: t('industries', 'id, industry_name, industry_slug, sort_order'),
    skills: t('skills', 'id, slug, skill_name, skill_name_fr, skill_category, parent_skill_id, synonyms'),
    dataSources: t('data_sources', 'id, name, type, url, country, config'),
    roles: t('roles', 'id, name, display_name, description, is_system_role'),
    permissions: t('permissions', 'id, name, resource, action'),
    rolePermissions: t('role_permissions', 'role_id, permission_id'),
    plans: t('subscription_plans', 'id, plan_name, plan_description, price_monthly_ngn, price_annual_ngn, introduction_credits_monthly, max_hr_users, max_active_roles, support_level, features, sort_order'),
  };
}

export function generateReference(world: DemoWorld) {
  const b = referenceTables();
  const created = iso(world.now - 800 * DAY);
  LOCATIONS.forEach((loc, i) => {
    b.locations.add([world.id(K.location, i), `${loc.city}, ${loc.region}`, loc.country, loc.region, loc.city, loc.lat.toFixed(6), loc.lon.toFixed(6), created, created]);
  });
  INDUSTRIES.forEach((name, i) => b.industries.add([world.id(K.industry, i), name, slugify(name), i]));
  SKILLS.forEach((skill, i) => {
    const parent = skill.parent === undefined ? null : world.id(K.skill, world.skillIndex.get(skill.parent)!);
    b.skills.add([world.id(K.skill, i), skill.slug, skill.name, skill.nameFr, skill.category, parent, skill.synonyms]);
  });
  DATA_SOURCES.forEach((source, i) => b.dataSources.add([world.id(K.source, i), source.name, source.type, source.url, source.country, { schedule: source.schedule }]));
  ROLES.forEach((role, i) => b.roles.add([world.id(K.role, i), role.name, role.display, role.description, true]));
  let p = 0;
  const permissionIds = new Map<string, string>();
  for (const resource of RESOURCES) {
    for (const action of ['CREATE', 'READ', 'UPDATE', 'DELETE', 'EXPORT', 'MANAGE'] as const) {
      const id = world.id(K.permission, p++);
      permissionIds.set(`${resource}:${action}`, id);
      b.permissions.add([id, `${resource}.${action.toLowerCase()}`, resource, action]);
    }
  }
  ROLES.forEach((role, i) => {
    for (const grant of role.grants) {
      const [resource, actions] = grant.split(':') as [string, string];
      for (const action of actions.split('|')) b.rolePermissions.add([world.id(K.role, i), permissionIds.get(`${resource}:${action}`)!]);
    }
  });
  PLANS.forEach((plan, i) => b.plans.add([world.id(K.plan, i), plan.name, plan.description, plan.monthly, plan.annual, plan.credits, plan.users, plan.roles, plan.support, plan.features, i]));
  return b;
}
