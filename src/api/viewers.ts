/**
 * Who a token speaks for, as the query builders need it. Roles come from the token; what
 * they allow is checked against Postgres (an active membership of the token's organisation
 * with search rights, a candidate profile for a beneficiary), so a token minted for someone
 * who has since left an organisation stops working within the cache's lifetime.
 */
import type { Knex } from 'knex';
import { ForbiddenError } from '../errors.js';
import type { CandidateViewer } from '../search/candidate-query.js';
import type { OpportunityViewer } from '../search/opportunity-query.js';
import type { Role, TokenClaims } from './tokens.js';

/** Seconds a resolved viewer is reused; bounds how late a revoked membership takes effect. */
const CACHE_MS = 10_000;

export const CANDIDATE_SEARCH_ROLES: readonly Role[] = ['administrator', 'recruiter', 'institution_admin', 'ngo_partner'];
export const OPPORTUNITY_SEARCH_ROLES: readonly Role[] = ['administrator', 'beneficiary'];

export interface Viewers {
  candidateViewer(auth: TokenClaims): Promise<CandidateViewer>;
  opportunityViewer(auth: TokenClaims): Promise<OpportunityViewer>;
  /** The user's preferred language (labels in responses). */
  languageOf(userId: string): Promise<string | undefined>;
  /** The caller's candidate row (beneficiaries). */
  candidateOf(auth: TokenClaims): Promise<{ id: string; category: string | null } | undefined>;
}

export function createViewers(db: Knex, now: () => number = Date.now): Viewers {
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit && now() - hit.at < CACHE_MS) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { at: now(), value });
    value.catch(() => cache.delete(key));
    if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
    return value;
  }

  async function membership(auth: TokenClaims) {
    if (!auth.org) throw new ForbiddenError('This token acts for no organisation; candidate search needs one', 'organization_required');
    const member = await db('organization_members as m').join('organizations as o', 'o.id', 'm.organization_id')
      .where({ 'm.organization_id': auth.org, 'm.user_id': auth.sub, 'm.status': 'active' }).first('m.can_search', 'o.status as organization_status');
    if (!member) throw new ForbiddenError('The token\'s user is not an active member of its organisation', 'not_a_member');
    // A suspended or inactive organisation keeps its members and tokens, but not its access to people's profiles.
    if (member.organization_status !== 'active') throw new ForbiddenError(`The organisation is ${member.organization_status}; its members may not search candidates`, 'organization_not_active');
    if (!member.can_search) throw new ForbiddenError('This member of the organisation may not search candidates', 'search_not_permitted');
    const [programs, cohorts] = await Promise.all([
      db('programs').where({ organization_id: auth.org }).pluck('id'),
      db('cohorts').where({ institution_id: auth.org }).orWhere({ sponsor_id: auth.org }).pluck('id'),
    ]);
    return { organizationId: auth.org, programIds: (programs as string[]).sort(), cohortIds: (cohorts as string[]).sort() };
  }

  async function candidateOf(auth: TokenClaims) {
    const row = await db('candidates as c').join('users as u', 'u.id', 'c.user_id')
      .where('c.user_id', auth.sub).whereNull('c.deleted_at').whereNull('u.erased_at').first('c.id', 'c.category');
    return row ? { id: row.id as string, category: (row.category as string | null) ?? null } : undefined;
  }

  const key = (auth: TokenClaims, what: string) => `${what}|${auth.sub}|${auth.org ?? ''}|${[...auth.roles].sort().join(',')}`;

  return {
    languageOf: (userId) => cached(`lang|${userId}`, async () => (await db('users').where({ id: userId }).first('preferred_language'))?.preferred_language as string | undefined),
    candidateOf: (auth) => cached(key(auth, 'candidate'), () => candidateOf(auth)),
    candidateViewer(auth) {
      return cached(key(auth, 'cv'), async (): Promise<CandidateViewer> => {
        if (auth.roles.includes('administrator')) return { kind: 'administrator', ...(auth.org ? { organizationId: auth.org } : {}) };
        if (auth.roles.includes('recruiter')) return { kind: 'recruiter', ...(await membership(auth)) };
        if (auth.roles.includes('institution_admin') || auth.roles.includes('ngo_partner')) return { kind: 'partner', ...(await membership(auth)) };
        throw new ForbiddenError(`Candidate search is for ${CANDIDATE_SEARCH_ROLES.join(', ')}`, 'role_not_allowed');
      });
    },
    opportunityViewer(auth) {
      return cached(key(auth, 'ov'), async (): Promise<OpportunityViewer> => {
        if (auth.roles.includes('administrator')) return { kind: 'administrator' };
        if (auth.roles.includes('beneficiary')) {
          const candidate = await candidateOf(auth);
          if (!candidate) throw new ForbiddenError('Opportunity search needs a candidate profile for this user', 'candidate_profile_required');
          return { kind: 'beneficiary', category: candidate.category };
        }
        throw new ForbiddenError(`Opportunity search is for ${OPPORTUNITY_SEARCH_ROLES.join(', ')}`, 'role_not_allowed');
      });
    },
  };
}
