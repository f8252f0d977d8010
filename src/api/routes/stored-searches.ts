/**
 * Talent pools (an organisation's named set of candidates, filled by a stored candidate
 * search) and saved searches (a person's stored candidate or opportunity search). Running
 * either again answers "what is new since it last ran". Both are owned objects: another
 * organisation's pool, a colleague's private pool or someone else's saved search is a 404.
 */
import type Router from '@koa/router';
import type { Knex } from 'knex';
import { ForbiddenError, MeridianError, NotFoundError, ValidationError } from '../../errors.js';
import { POOL_VISIBILITIES, SEARCH_AUDIENCES } from '../../db/models/enums.js';
import type { CandidateSearchParams, CandidateViewer } from '../../search/candidate-query.js';
import type { OpportunitySearchParams } from '../../search/opportunity-query.js';
import { refuseForeignMemberships, searchCandidates, searchOpportunities, type SearchPage } from '../searches.js';
import { readCandidateSearch, readOpportunitySearch } from '../search-params.js';
import { isUuid, isWellFormedText, QueryReader, type RawQuery } from '../validate.js';
import { readJsonObject } from '../body.js';
import type { TokenClaims } from '../tokens.js';
import type { ApiState } from '../app.js';
import type { SearchRouteDeps } from './search.js';

/** A run looks at this many matches at most; the response says when it stopped there. */
export const MAX_RUN_MATCHES = 5000;
const RUN_PAGE = 500;

interface StoredBody {
  name: string;
  query: RawQuery;
  visibility?: string;
  audience?: string;
  alertsEnabled?: boolean;
}

function readStoredBody(body: Record<string, unknown>, fields: Array<keyof StoredBody>): StoredBody {
  const problems: Array<{ param: string; message: string }> = [];
  for (const key of Object.keys(body)) if (!(fields as string[]).includes(key)) problems.push({ param: key, message: 'is not a field here' });
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (!name || name.length > 160) problems.push({ param: 'name', message: 'must be a non-empty string of at most 160 characters' });
  else if (/[\u0000-\u001f\u007f]/.test(name) || !isWellFormedText(name)) problems.push({ param: 'name', message: 'must be well-formed text without control characters' });
  const query = body.query ?? {};
  if (typeof query !== 'object' || query === null || Array.isArray(query)) problems.push({ param: 'query', message: 'must be an object of search parameters' });
  if (body.visibility !== undefined && !(POOL_VISIBILITIES as readonly unknown[]).includes(body.visibility)) problems.push({ param: 'visibility', message: `must be one of ${POOL_VISIBILITIES.join(', ')}` });
  if (fields.includes('audience') && !(SEARCH_AUDIENCES as readonly unknown[]).includes(body.audience)) problems.push({ param: 'audience', message: `must be one of ${SEARCH_AUDIENCES.join(', ')}` });
  if (body.alertsEnabled !== undefined && typeof body.alertsEnabled !== 'boolean') problems.push({ param: 'alertsEnabled', message: 'must be true or false' });
  if (problems.length) throw new ValidationError(`Invalid body: ${problems.map((p) => `${p.param} ${p.message}`).join('; ')}`, { problems }, 'invalid_body');
  return { name, query: query as RawQuery, visibility: body.visibility as string | undefined, audience: body.audience as string | undefined, alertsEnabled: body.alertsEnabled as boolean | undefined };
}

/** A stored query is validated like a query string, with the problems under `query.`. */
function validStoredQuery<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(`The stored query is invalid: ${error.message.replace(/^Invalid request: /, '')}`, error.details, 'invalid_query');
    throw error;
  }
}

const uniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

function pathId(value: string | undefined, what: string): string {
  if (!value || !isUuid(value)) throw new NotFoundError(`No ${what.replace('_', ' ')} with this id`, `${what}_not_found`);
  return value;
}

/** Every match of a stored search (up to MAX_RUN_MATCHES), paging through with cursors. */
export async function allMatches<T extends { id: unknown }>(page: (cursor?: string) => Promise<SearchPage<T>>): Promise<{ results: T[]; total: number; truncated: boolean }> {
  const results: T[] = [];
  // Pages are separate searches: a document that changes while the run pages (a new sort
  // value) can come back on a later page. Each match counts once.
  const seen = new Set<unknown>();
  let cursor: string | undefined;
  let total = 0;
  do {
    const next = await page(cursor);
    total = next.total;
    for (const result of next.results) {
      if (seen.has(result.id)) continue;
      seen.add(result.id);
      results.push(result);
    }
    cursor = next.nextCursor ?? undefined;
  } while (cursor && results.length < MAX_RUN_MATCHES);
  return { results: results.slice(0, MAX_RUN_MATCHES), total, truncated: total > MAX_RUN_MATCHES };
}

export function storedSearchRoutes(router: Router<ApiState>, deps: SearchRouteDeps): void {
  const { services, viewers, authenticate } = deps;
  const db = services.db;

  // ------------------------------------------------------------------ talent pools
  const poolOrg = (auth: TokenClaims): string => {
    if (!auth.org) throw new ForbiddenError('Talent pools belong to an organisation; this token acts for none', 'organization_required');
    return auth.org;
  };
  /** Pools the caller may manage: their organisation's shared pools and their own private ones. */
  const ownPools = (trx: Knex, auth: TokenClaims) => trx('talent_pools').where({ organization_id: poolOrg(auth) })
    .andWhere((q) => q.where({ visibility: 'organization' }).orWhere({ owner_user_id: auth.sub }));
  const poolView = (row: Record<string, unknown>) => ({
    id: row.id, name: row.name, visibility: row.visibility, query: row.query, ownerUserId: row.owner_user_id,
    lastRunAt: row.last_run_at, createdAt: row.created_at, ...(row.members !== undefined ? { members: Number(row.members) } : {}),
  });

  router.post('/talent-pools', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    const viewer = await viewers.candidateViewer(auth);
    const org = poolOrg(auth);
    const body = readStoredBody(await readJsonObject(ctx), ['name', 'query', 'visibility']);
    // Refused now rather than at every run.
    refuseForeignMemberships(viewer, validStoredQuery(() => readCandidateSearch(body.query, { paging: false })).params);
    try {
      const [row] = await db('talent_pools').insert({
        organization_id: org, owner_user_id: auth.sub, name: body.name, visibility: body.visibility ?? 'private', query: JSON.stringify(body.query),
      }).returning('*');
      ctx.status = 201;
      ctx.body = poolView({ ...row, members: 0 });
    } catch (error) {
      // Names are unique per organisation for shared pools and per person for private ones:
      // a clash is always with a pool the caller can see.
      if (uniqueViolation(error)) {
        throw new MeridianError('name_taken', (body.visibility ?? 'private') === 'private'
          ? `You already have a private talent pool named "${body.name}"`
          : `Your organisation already has a shared talent pool named "${body.name}"`, { status: 409, expose: true });
      }
      throw error;
    }
  });

  router.get('/talent-pools', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    await viewers.candidateViewer(auth);
    new QueryReader(ctx.query).done();
    const rows = await ownPools(db, auth).select('talent_pools.*', db.raw('(SELECT count(*) FROM talent_pool_members m WHERE m.talent_pool_id = talent_pools.id) AS members')).orderBy('name');
    ctx.body = { results: rows.map(poolView) };
  });

  const findPool = async (auth: TokenClaims, id: string | undefined) => {
    const row = await ownPools(db, auth).where({ id: pathId(id, 'talent_pool') })
      .first('talent_pools.*', db.raw('(SELECT count(*) FROM talent_pool_members m WHERE m.talent_pool_id = talent_pools.id) AS members'));
    if (!row) throw new NotFoundError('No talent pool with this id is visible to you', 'talent_pool_not_found');
    return row as Record<string, unknown>;
  };

  router.get('/talent-pools/:id', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    await viewers.candidateViewer(auth);
    new QueryReader(ctx.query).done();
    ctx.body = poolView(await findPool(auth, ctx.params.id));
  });

  router.delete('/talent-pools/:id', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    await viewers.candidateViewer(auth);
    const pool = await findPool(auth, ctx.params.id);
    if (pool.owner_user_id !== auth.sub) throw new ForbiddenError('Only the owner of a talent pool may delete it', 'not_owner');
    await db('talent_pools').where({ id: pool.id }).delete();
    ctx.status = 204;
  });

  // Runs the pool's query, adds every match not yet in the pool, and returns those.
  router.post('/talent-pools/:id/run', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    const viewer = await viewers.candidateViewer(auth);
    const pool = await findPool(auth, ctx.params.id);
    const r = new QueryReader(ctx.query);
    const size = r.number('size', { min: 1, max: 100, integer: true }) ?? 20;
    r.done();
    const { params } = validStoredQuery(() => readCandidateSearch(pool.query as RawQuery, { paging: false }));
    const runParams: CandidateSearchParams = { ...params, size: RUN_PAGE, facets: [] };
    const matches = await allMatches((cursor) => searchCandidates(services, auth, viewer, runParams, { cursor }));
    const ranAt = services.now();
    const added = await db.transaction(async (trx) => {
      // Held until the members are in: a pool deleted meanwhile is a 404, not a foreign-key error.
      if (!(await trx('talent_pools').where({ id: pool.id }).forUpdate().first('id'))) throw new NotFoundError('No talent pool with this id is visible to you', 'talent_pool_not_found');
      const ids = matches.results.map((m) => m.id);
      const inserted = ids.length === 0 ? [] : await trx('talent_pool_members')
        .insert(ids.map((id) => ({ talent_pool_id: pool.id, candidate_id: id, added_by: auth.sub, added_at: ranAt })))
        .onConflict(['talent_pool_id', 'candidate_id']).ignore().returning('candidate_id');
      await trx('talent_pools').where({ id: pool.id }).update({ last_run_at: ranAt });
      return new Set(inserted.map((row: { candidate_id: string }) => row.candidate_id));
    });
    const fresh = matches.results.filter((m) => added.has(m.id));
    ctx.body = {
      pool: poolView({ ...pool, last_run_at: ranAt, members: Number(pool.members) + added.size }),
      previousRunAt: pool.last_run_at ?? null, ranAt, matches: matches.total, truncated: matches.truncated,
      newCount: fresh.length, new: fresh.slice(0, size),
    };
  });

  // ------------------------------------------------------------------ saved searches
  const savedView = (row: Record<string, unknown>) => ({
    id: row.id, name: row.name, audience: row.audience, query: row.query, alertsEnabled: row.alerts_enabled,
    lastRunAt: row.last_run_at, lastResultCount: row.last_result_count, createdAt: row.created_at,
  });
  const readQueryFor = (audience: string, query: RawQuery) => validStoredQuery(() => (audience === 'candidates' ? readCandidateSearch(query, { paging: false }) : readOpportunitySearch(query)));
  const viewerFor = (audience: string, auth: TokenClaims) => (audience === 'candidates' ? viewers.candidateViewer(auth) : viewers.opportunityViewer(auth));

  router.post('/saved-searches', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    const body = readStoredBody(await readJsonObject(ctx), ['name', 'query', 'audience', 'alertsEnabled']);
    const viewer = await viewerFor(body.audience!, auth);
    const { params } = readQueryFor(body.audience!, body.query);
    if (body.audience === 'candidates') refuseForeignMemberships(viewer as CandidateViewer, params as CandidateSearchParams);
    try {
      const [row] = await db('saved_searches').insert({
        user_id: auth.sub, organization_id: auth.org ?? null, name: body.name, audience: body.audience, query: JSON.stringify(body.query), alerts_enabled: body.alertsEnabled ?? false,
      }).returning('*');
      ctx.status = 201;
      ctx.body = savedView(row);
    } catch (error) {
      if (uniqueViolation(error)) throw new MeridianError('name_taken', `You already have a saved search named "${body.name}"`, { status: 409, expose: true });
      throw error;
    }
  });

  router.get('/saved-searches', authenticate, async (ctx) => {
    new QueryReader(ctx.query).done();
    const rows = await db('saved_searches').where({ user_id: ctx.state.auth!.sub }).orderBy('name');
    ctx.body = { results: rows.map(savedView) };
  });

  const findSaved = async (auth: TokenClaims, id: string | undefined) => {
    const row = await db('saved_searches').where({ id: pathId(id, 'saved_search'), user_id: auth.sub }).first();
    if (!row) throw new NotFoundError('No saved search of yours with this id', 'saved_search_not_found');
    return row as Record<string, unknown>;
  };

  router.get('/saved-searches/:id', authenticate, async (ctx) => {
    new QueryReader(ctx.query).done();
    ctx.body = savedView(await findSaved(ctx.state.auth!, ctx.params.id));
  });

  router.delete('/saved-searches/:id', authenticate, async (ctx) => {
    const saved = await findSaved(ctx.state.auth!, ctx.params.id);
    await db('saved_searches').where({ id: saved.id }).delete();
    ctx.status = 204;
  });

  router.post('/saved-searches/:id/run', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    const saved = await findSaved(auth, ctx.params.id);
    const r = new QueryReader(ctx.query);
    const size = r.number('size', { min: 1, max: 100, integer: true }) ?? 20;
    r.done();
    const audience = saved.audience as string;
    const { params } = readQueryFor(audience, saved.query as RawQuery);
    const language = await viewers.languageOf(auth.sub);
    const matches = audience === 'candidates'
      ? await allMatches(async (cursor) => searchCandidates(services, auth, await viewers.candidateViewer(auth), { ...(params as CandidateSearchParams), size: RUN_PAGE, facets: [] }, { cursor, language }))
      : await allMatches(async (cursor) => searchOpportunities(services, auth, await viewers.opportunityViewer(auth), { ...(params as OpportunitySearchParams), size: RUN_PAGE, facets: [] }, { cursor, language }));
    const ranAt = services.now();
    const added = await db.transaction(async (trx) => {
      if (!(await trx('saved_searches').where({ id: saved.id }).forUpdate().first('id'))) throw new NotFoundError('No saved search of yours with this id', 'saved_search_not_found');
      const ids = matches.results.map((m) => m.id as string);
      const inserted = ids.length === 0 ? [] : await trx('saved_search_hits')
        .insert(ids.map((id) => ({ saved_search_id: saved.id, result_id: id, first_seen_at: ranAt })))
        .onConflict(['saved_search_id', 'result_id']).ignore().returning('result_id');
      await trx('saved_searches').where({ id: saved.id }).update({ last_run_at: ranAt, last_result_count: matches.total });
      return new Set(inserted.map((row: { result_id: string }) => row.result_id));
    });
    const fresh = matches.results.filter((m) => added.has(m.id as string));
    ctx.body = {
      savedSearch: savedView({ ...saved, last_run_at: ranAt, last_result_count: matches.total }),
      previousRunAt: saved.last_run_at ?? null, ranAt, matches: matches.total, truncated: matches.truncated,
      newCount: fresh.length, new: fresh.slice(0, size),
    };
  });
}
