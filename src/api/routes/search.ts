/**
 * Recruiter candidate search, beneficiary opportunity search, opening a profile or an
 * opportunity (a 404 for anything the caller's search could not find), and click reports.
 */
import type Router from '@koa/router';
import type { RouterMiddleware } from '@koa/router';
import { NotFoundError, ValidationError } from '../../errors.js';
import { VIEW_SOURCES } from '../../db/models/enums.js';
import { privacyClauses, CANDIDATE_RESULT_FIELDS } from '../../search/candidate-query.js';
import { openAndEligibleClauses, OPPORTUNITY_RESULT_FIELDS } from '../../search/opportunity-query.js';
import { aliasName, sourceOnly } from '../../search/indices.js';
import { candidateNames, displayName, searchCandidates, searchOpportunities, type SearchServices } from '../searches.js';
import { readCandidateSearch, readOpportunitySearch } from '../search-params.js';
import { isUuid, QueryReader } from '../validate.js';
import { readJsonObject } from '../body.js';
import type { Viewers } from '../viewers.js';
import type { ApiState } from '../app.js';

export interface SearchRouteDeps {
  services: SearchServices;
  viewers: Viewers;
  authenticate: RouterMiddleware<ApiState>;
}

function pathId(value: string | undefined, what: string): string {
  // A malformed id cannot name anything: the same 404 as an id that names nothing.
  if (!value || !isUuid(value)) throw new NotFoundError(`No ${what} with this id`, `${what}_not_found`);
  return value;
}

export function searchRoutes(router: Router<ApiState>, deps: SearchRouteDeps): void {
  const { services, viewers, authenticate } = deps;

  router.get('/candidates/search', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    const viewer = await viewers.candidateViewer(auth);
    const { params, cursor } = readCandidateSearch(ctx.query);
    ctx.body = await searchCandidates(services, auth, viewer, params, { cursor, language: await viewers.languageOf(auth.sub), log: { filters: { ...params, q: undefined } } });
  });

  router.get('/candidates/:id', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    const viewer = await viewers.candidateViewer(auth);
    const id = pathId(ctx.params.id, 'candidate');
    const r = new QueryReader(ctx.query);
    const source = r.oneOf('source', VIEW_SOURCES) ?? 'direct';
    const opportunity = r.uuids('opportunity', 1)?.[0];
    r.done();
    // The opportunity the profile is looked at for: one of the caller's organisation's own.
    if (opportunity) {
      const own = services.db('opportunities').where({ id: opportunity });
      if (viewer.kind !== 'administrator') own.andWhere({ organization_id: auth.org ?? null });
      if (!(await own.first('id'))) throw new NotFoundError('No opportunity of your organisation has this id', 'opportunity_not_found');
    }
    const privacy = privacyClauses(viewer);
    const response = await services.search.search(aliasName(services.indexPrefix, 'candidates'), {
      size: 1,
      query: { bool: { filter: [{ ids: { values: [id] } }, ...privacy.filter], must_not: privacy.mustNot } },
      _source: sourceOnly('candidates', [...CANDIDATE_RESULT_FIELDS, 'summary', 'program_ids', 'cohort_ids']),
    });
    const hit = response.hits[0];
    if (!hit) throw new NotFoundError('No candidate with this id is visible to you', 'candidate_not_found');
    const { introduced_organization_ids: introduced, program_ids: programs, cohort_ids: cohorts, ...fields } = hit.source;
    const name = viewer.organizationId && (introduced as string[] | undefined)?.includes(viewer.organizationId) ? (await candidateNames(services.db, [id])).get(id) ?? null : null;
    await services.db('profile_views').insert({
      viewer_user_id: auth.sub, organization_id: auth.org ?? null, candidate_id: id, view_source: source, opportunity_id: opportunity ?? null,
    });
    // Memberships the caller's organisation runs: another organisation's programmes and cohorts
    // are its business (and a filter on them is refused: searchCandidates).
    const own = (ids: unknown, mine: readonly string[] | undefined) => ((ids as string[] | undefined) ?? []).filter((m) => mine === undefined || mine.includes(m));
    const scope = viewer.kind === 'administrator' ? { programIds: undefined, cohortIds: undefined } : viewer;
    ctx.body = { ...fields, program_ids: own(programs, scope.programIds), cohort_ids: own(cohorts, scope.cohortIds), id, name, displayName: name ?? displayName(id), masked: name === null };
  });

  router.get('/opportunities/search', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    const viewer = await viewers.opportunityViewer(auth);
    const { params, cursor } = readOpportunitySearch(ctx.query);
    ctx.body = await searchOpportunities(services, auth, viewer, params, { cursor, language: await viewers.languageOf(auth.sub), log: { filters: { ...params, q: undefined } } });
  });

  router.get('/opportunities/:id', authenticate, async (ctx) => {
    const viewer = await viewers.opportunityViewer(ctx.state.auth!);
    const id = pathId(ctx.params.id, 'opportunity');
    new QueryReader(ctx.query).done();
    const scope = openAndEligibleClauses(viewer, services.now());
    const response = await services.search.search(aliasName(services.indexPrefix, 'opportunities'), {
      size: 1,
      query: { bool: { filter: [{ ids: { values: [id] } }, ...scope.filter], must_not: scope.mustNot } },
      _source: sourceOnly('opportunities', [...OPPORTUNITY_RESULT_FIELDS, 'description']),
    });
    const hit = response.hits[0];
    if (!hit) throw new NotFoundError('No open opportunity with this id is available to you', 'opportunity_not_found');
    ctx.body = { ...hit.source, id };
  });

  // A click on a result of one of the caller's own searches.
  router.post('/searches/:id/clicks', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    const searchId = pathId(ctx.params.id, 'search');
    const body = await readJsonObject(ctx);
    const resultId = body.resultId;
    const position = body.position;
    const problems: Array<{ param: string; message: string }> = [];
    if (typeof resultId !== 'string' || !isUuid(resultId)) problems.push({ param: 'resultId', message: 'must be the id of a result' });
    if (position !== undefined && (typeof position !== 'number' || !Number.isInteger(position) || position < 0 || position > 10_000)) problems.push({ param: 'position', message: 'must be a whole number from 0' });
    const unknown = Object.keys(body).filter((k) => k !== 'resultId' && k !== 'position');
    for (const k of unknown) problems.push({ param: k, message: 'is not a field of a click' });
    if (problems.length) throw new ValidationError(`Invalid click: ${problems.map((p) => `${p.param} ${p.message}`).join('; ')}`, { problems }, 'invalid_body');
    if (services.searchLog.isPending(searchId)) await services.searchLog.flush();
    const updated = await services.db('search_queries').where({ id: searchId, user_id: auth.sub })
      .update({ clicked_ids: services.db.raw(`clicked_ids || ?::jsonb`, [JSON.stringify([{ id: resultId, position: position ?? null, at: services.now().toISOString() }])]) });
    if (updated === 0) throw new NotFoundError('No search of yours with this id', 'search_not_found');
    ctx.status = 204;
  });
}
