/**
 * Recommendations for beneficiaries (each served item is a `recommendations` row, whose
 * lifecycle events move it: viewed → clicked → applied, or dismissed, with feedback) and
 * ranked candidates for a recruiter's opportunity, under the same privacy rules as search.
 * Every item carries its chips.
 */
import type Router from '@koa/router';
import type { RouterMiddleware } from '@koa/router';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { ForbiddenError, MeridianError, NotFoundError, ServiceError, ValidationError } from '../../errors.js';
import { OPPORTUNITY_TYPES } from '../../db/models/enums.js';
import { loadDocuments } from '../../db/documents.js';
import type { Language } from '../../domain/chips.js';
import type { SearchBackend } from '../../search/backend.js';
import type { Encoder } from '../../matching/encoder.js';
import { opportunitiesShown, opportunitiesShownFromPostgres, rankCandidates, scorePair } from '../../matching/rank.js';
import { storedRecommendations } from '../../matching/stored-recommendations.js';
import { modelVersionOf, recommendFor } from '../../matching/recommend.js';
import type { RankerModel } from '../../matching/model-store.js';
import { openAndEligibleClauses } from '../../search/opportunity-query.js';
import { aliasName } from '../../search/indices.js';
import { skillGaps } from '../../matching/skill-gaps.js';
import { candidateNames, displayName } from '../searches.js';
import type { Viewers } from '../viewers.js';
import type { TaxonomyCache } from '../taxonomy-cache.js';
import type { Logger } from '../../log.js';
import { isUuid, isWellFormedText, QueryReader } from '../validate.js';
import { readJsonObject } from '../body.js';
import type { ApiState } from '../app.js';
import type { Counters } from '../metrics.js';

export interface MatchingRouteDeps {
  db: Knex;
  search: SearchBackend;
  indexPrefix: string;
  encoder?: Encoder;
  /** The active learned ranker (loaded once by runApi); without one, the hand-set weights. */
  ranker?: RankerModel;
  taxonomy: TaxonomyCache;
  viewers: Viewers;
  authenticate: RouterMiddleware<ApiState>;
  now: () => Date;
  /** Where the answers of GET /v1/me/recommendations are counted (stored set or ranked, and why). */
  counters?: Counters;
  /** See ApiDeps.indexLagMarginMs. */
  indexLagMarginMs?: number;
  log?: Logger;
}

const SERVED = 'meridian_recommendations_total';
const SERVED_HELP = 'Recommendation answers by way (stored: the last ranked set served again; ranked: ranked on request) and the reason a stored set was not served.';
const VECTOR_LEG_FAILED = 'meridian_ranking_vector_leg_failures_total';
const VECTOR_LEG_FAILED_HELP = 'Rankings served from the text leg alone because the k-NN search failed (see the log).';

export const EVENTS = ['viewed', 'clicked', 'applied', 'dismissed', 'feedback'] as const;
type Event = (typeof EVENTS)[number];

/** How long an Idempotency-Key is remembered. */
const IDEMPOTENCY_HOURS = 24;

/** What is wrong with an optional free-text field, if anything (Postgres refuses NUL and half surrogate pairs). */
function freeTextProblem(value: unknown, maxLength: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > maxLength) return `must be text of at most ${maxLength.toLocaleString('en')} characters`;
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (!isWellFormedText(value)) return 'must be well-formed text (it has half of a UTF-16 surrogate pair)';
  return undefined;
}

export function matchingRoutes(router: Router<ApiState>, deps: MatchingRouteDeps): void {
  const { db, viewers, authenticate } = deps;
  // Skill names from the same taxonomy cache as search (refreshed in the background).
  const rankDeps = async () => {
    const taxonomy = await deps.taxonomy.get();
    const vectorLegFailed = (error: unknown) => {
      deps.counters?.count(VECTOR_LEG_FAILED, VECTOR_LEG_FAILED_HELP, {});
      deps.log?.warn('ranking: the k-NN search failed; ranked by text alone', { error: (error as Error).message });
    };
    return { search: deps.search, indexPrefix: deps.indexPrefix, encoder: deps.encoder, skillLabels: (slug: string) => taxonomy.label(slug), now: deps.now, weights: deps.ranker?.weights, vectorLegFailed };
  };
  const modelVersion = () => modelVersionOf(deps.encoder, deps.ranker);
  const languageOf = async (userId: string): Promise<Language> => ((await viewers.languageOf(userId)) === 'fr' ? 'fr' : 'en');

  router.get('/me/recommendations', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    if (!auth.roles.includes('beneficiary')) throw new ForbiddenError('Recommendations are for beneficiaries', 'role_not_allowed');
    const r = new QueryReader(ctx.query);
    const types = r.list('type', { allowed: OPPORTUNITY_TYPES });
    const size = r.number('size', { min: 1, max: 50, integer: true }) ?? 20;
    const fresh = r.boolean('fresh') ?? false;
    r.done();
    const candidate = await viewers.candidateOf(auth);
    if (!candidate) throw new ForbiddenError('Recommendations need a candidate profile for this user', 'candidate_profile_required');
    const consent = await db('consent_records').where({ user_id: auth.sub, consent_type: 'matching', granted: true }).whereNull('revoked_at').first('id');
    if (!consent) throw new ForbiddenError('You have not agreed to be matched with opportunities; give consent to matching first', 'matching_consent_required');
    const version = modelVersion();
    // The last ranked set while nothing it was ranked from has changed (the nightly refresh
    // keeps one for every active beneficiary); otherwise, or when asked, rank now.
    let reason = 'fresh';
    if (!fresh) {
      const set = await storedRecommendations(db, candidate.id, { modelVersion: version, types, size, now: deps.now(), indexLagMarginMs: deps.indexLagMarginMs });
      let shown: Map<string, Record<string, unknown>> | undefined;
      let served = 'valid';
      if (set.servable) {
        const ids = set.items.map((item) => item.opportunityId);
        // The engine down: the set was validated in Postgres, so it is served from there.
        shown = await opportunitiesShown(deps, ids).catch(async (error) => {
          if (!(error instanceof ServiceError)) throw error;
          served = 'search_unavailable';
          return opportunitiesShownFromPostgres(db, ids);
        });
      }
      reason = set.servable ? 'not_in_index' : set.reason;
      if (set.servable && shown && set.items.every((item) => shown!.has(item.opportunityId))) {
        deps.counters?.count(SERVED, SERVED_HELP, { way: 'stored', reason: served });
        ctx.body = {
          modelVersion: version, generatedAt: set.generatedAt.toISOString(), ranked: false,
          results: set.items.map(({ recommendationId, rank, score, opportunityId, chips }) => ({ recommendationId, rank, score, opportunity: shown.get(opportunityId), chips })),
        };
        return;
      }
    }
    deps.counters?.count(SERVED, SERVED_HELP, { way: 'ranked', reason });
    const generatedAt = deps.now();
    const stored = await recommendFor(db, { ...(await rankDeps()), now: () => generatedAt, modelVersion: version }, { candidateId: candidate.id }, { types, size, language: await languageOf(auth.sub) });
    ctx.body = {
      modelVersion: version, generatedAt: generatedAt.toISOString(), ranked: true,
      results: stored.map(({ recommendationId, rank, score, item }) => ({ recommendationId, rank, score, opportunity: item.source, chips: item.chips })),
    };
  });

  router.get('/me/skill-gaps', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    if (!auth.roles.includes('beneficiary')) throw new ForbiddenError('Skill gaps are for beneficiaries', 'role_not_allowed');
    const r = new QueryReader(ctx.query);
    const size = r.number('size', { min: 1, max: 50, integer: true }) ?? 10;
    r.done();
    const candidate = await viewers.candidateOf(auth);
    if (!candidate) throw new ForbiddenError('Skill gaps need a candidate profile for this user', 'candidate_profile_required');
    const language = await languageOf(auth.sub);
    const gaps = await skillGaps(db, [candidate.id], deps.now(), size);
    ctx.body = {
      results: gaps.map(({ people: _people, ...gap }) => ({
        ...gap,
        text: language === 'fr' ? `Apprendre ${gap.labelFr ?? gap.label} → ${gap.unlocks} offre${gap.unlocks > 1 ? 's' : ''} de plus` : `Learn ${gap.label} → ${gap.unlocks} more match${gap.unlocks > 1 ? 'es' : ''}`,
      })),
    };
  });

  router.post('/recommendations/:id/events', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    const id = ctx.params.id;
    const body = await readJsonObject(ctx);
    const problems: Array<{ param: string; message: string }> = [];
    const event = body.event as Event;
    if (!(EVENTS as readonly unknown[]).includes(event)) problems.push({ param: 'event', message: `must be one of ${EVENTS.join(', ')}` });
    if (event === 'feedback' && !(Number.isInteger(body.rating) && (body.rating as number) >= 1 && (body.rating as number) <= 5)) problems.push({ param: 'rating', message: 'feedback needs a rating from 1 to 5' });
    if (event !== 'feedback') for (const key of ['rating', 'text']) if (body[key] !== undefined) problems.push({ param: key, message: 'is sent with a feedback event only' });
    const textProblem = freeTextProblem(body.text, 2000);
    if (textProblem) problems.push({ param: 'text', message: textProblem });
    for (const key of Object.keys(body)) if (!['event', 'rating', 'text'].includes(key)) problems.push({ param: key, message: 'is not a field of an event' });
    if (problems.length) throw new ValidationError(`Invalid event: ${problems.map((p) => `${p.param} ${p.message}`).join('; ')}`, { problems }, 'invalid_body');
    const candidate = await viewers.candidateOf(auth);
    const owned = candidate && id && isUuid(id) ? await db('recommendations').where({ id, candidate_id: candidate.id }).first('id') : undefined;
    if (!owned) throw new NotFoundError('No recommendation of yours with this id', 'recommendation_not_found');

    const key = ctx.get('idempotency-key');
    if (key.length > 200) throw new ValidationError('Idempotency-Key may be at most 200 characters', { param: 'Idempotency-Key' }, 'invalid_header');
    // Stored as the user and a digest of the key: any key the header allows fits the column.
    const storedKey = `${auth.sub}:${createHash('sha256').update(key).digest('hex')}`;
    // The same request whatever the order of its fields.
    const hash = createHash('sha256').update(JSON.stringify({ id, body: Object.fromEntries(Object.entries(body).sort(([a], [b]) => a.localeCompare(b))) })).digest('hex');
    const respond = async (trx: Knex.Transaction) => {
      const now = deps.now();
      const updates: Record<string, unknown> = {};
      const current = await trx('recommendations').where({ id }).forUpdate().first();
      // The lifecycle only moves forward: a late "viewed" never undoes "applied", nor
      // "abandoned" (clicked, then left). Applying beats a dismissal, as POST /applications
      // does: it is the strongest thing a person can say about an opportunity.
      const order = ['generated', 'viewed', 'clicked', 'abandoned', 'applied'];
      const advance = (status: string) => {
        if (status === 'applied' ? current.status !== 'applied' : current.status !== 'dismissed' && order.indexOf(status) > order.indexOf(current.status)) updates.status = status;
      };
      if (event === 'viewed') { updates.viewed_at = current.viewed_at ?? now; advance('viewed'); }
      if (event === 'clicked') { updates.clicked = true; updates.clicked_at = current.clicked_at ?? now; updates.viewed_at = current.viewed_at ?? now; advance('clicked'); }
      if (event === 'applied') { updates.applied = true; updates.applied_at = current.applied_at ?? now; updates.viewed_at = current.viewed_at ?? now; advance('applied'); }
      if (event === 'dismissed') { updates.dismissed_at = current.dismissed_at ?? now; if (current.status !== 'applied') updates.status = 'dismissed'; }
      if (event === 'feedback') { updates.feedback_rating = body.rating; updates.feedback_text = body.text ?? null; }
      const [row] = await trx('recommendations').where({ id }).update(updates).returning(['id', 'status', 'viewed_at', 'clicked', 'applied', 'dismissed_at', 'feedback_rating']);
      // camelCase, as every other answer of the API (it answered with the columns until 2026-11-28).
      return { id: row.id, status: row.status, viewedAt: row.viewed_at, clicked: row.clicked, applied: row.applied, dismissedAt: row.dismissed_at, feedbackRating: row.feedback_rating };
    };
    if (!key) {
      ctx.body = await db.transaction(respond);
      return;
    }
    ctx.body = await db.transaction(async (trx) => {
      // A key past its lifetime is free again.
      await trx('api_request_deduplication').where({ idempotency_key: storedKey }).where('expires_at', '<=', deps.now()).delete();
      const inserted = await trx('api_request_deduplication').insert({
        idempotency_key: storedKey, user_id: auth.sub, endpoint: `/v1/recommendations/${id}/events`, method: 'POST', request_hash: hash,
        expires_at: new Date(deps.now().getTime() + IDEMPOTENCY_HOURS * 3600_000),
      }).onConflict('idempotency_key').ignore().returning('id');
      if (inserted.length === 0) {
        // A retry: answer what the first attempt answered, without applying it twice.
        const earlier = await trx('api_request_deduplication').where({ idempotency_key: storedKey }).first();
        if (earlier.request_hash !== hash) throw new MeridianError('idempotency_key_reused', 'This Idempotency-Key was used for a different request', { status: 409, expose: true });
        ctx.set('Idempotent-Replayed', 'true');
        return earlier.response_body;
      }
      const result = await respond(trx);
      await trx('api_request_deduplication').where({ id: inserted[0].id }).update({ completed_at: trx.fn.now(), status_code: 200, response_body: JSON.stringify(result) });
      return result;
    });
  });

  // Applying: every application made here carries its fit score and the chips behind it.
  router.post('/applications', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    if (!auth.roles.includes('beneficiary')) throw new ForbiddenError('Applications are made by beneficiaries', 'role_not_allowed');
    const body = await readJsonObject(ctx);
    const problems: Array<{ param: string; message: string }> = [];
    if (typeof body.opportunityId !== 'string' || !isUuid(body.opportunityId)) problems.push({ param: 'opportunityId', message: 'must be the id of an opportunity' });
    if (body.recommendationId !== undefined && (typeof body.recommendationId !== 'string' || !isUuid(body.recommendationId))) problems.push({ param: 'recommendationId', message: 'must be the id of one of your recommendations' });
    const letterProblem = freeTextProblem(body.coverLetter, 10_000);
    if (letterProblem) problems.push({ param: 'coverLetter', message: letterProblem });
    for (const key of Object.keys(body)) if (!['opportunityId', 'recommendationId', 'coverLetter'].includes(key)) problems.push({ param: key, message: 'is not a field of an application' });
    if (problems.length) throw new ValidationError(`Invalid application: ${problems.map((p) => `${p.param} ${p.message}`).join('; ')}`, { problems }, 'invalid_body');
    const candidate = await viewers.candidateOf(auth);
    if (!candidate) throw new ForbiddenError('Applying needs a candidate profile for this user', 'candidate_profile_required');
    // Ids as the index holds them (a uuid is valid in either case; the engine's ids are exact).
    const opportunityId = (body.opportunityId as string).toLowerCase();
    // Only what the person could find: published, open, and eligible for them.
    const scope = openAndEligibleClauses({ kind: 'beneficiary', category: candidate.category }, deps.now());
    const found = await deps.search.search(aliasName(deps.indexPrefix, 'opportunities'), { size: 1, query: { bool: { filter: [{ ids: { values: [opportunityId] } }, ...scope.filter], must_not: scope.mustNot } } });
    if (!found.hits[0]) throw new NotFoundError('No open opportunity with this id is available to you', 'opportunity_not_found');
    if (body.recommendationId) {
      const recommendation = await db('recommendations').where({ id: body.recommendationId, candidate_id: candidate.id, opportunity_id: opportunityId }).first('id');
      if (!recommendation) throw new NotFoundError('No recommendation of yours for this opportunity with this id', 'recommendation_not_found');
    }
    const [profile] = await loadDocuments(db, 'candidates', [candidate.id]);
    const fit = scorePair(await rankDeps(), profile!.document, found.hits[0].source, await languageOf(auth.sub));
    const now = deps.now();
    try {
      const row = await db.transaction(async (trx) => {
        const [application] = await trx('applications').insert({
          candidate_id: candidate.id, opportunity_id: opportunityId, recommendation_id: body.recommendationId ?? null, status: 'SUBMITTED',
          ai_fit_score: Math.round(fit.score * 10_000) / 100, explainability: JSON.stringify({ modelVersion: modelVersion(), chips: fit.chips, features: fit.features }),
          timeline: JSON.stringify([{ status: 'SUBMITTED', at: now.toISOString() }]), cover_letter: body.coverLetter ?? null, submitted_at: now,
        }).returning(['id', 'status', 'ai_fit_score', 'explainability', 'submitted_at']);
        if (body.recommendationId) {
          await trx('recommendations').where({ id: body.recommendationId }).whereNot({ status: 'applied' })
            .update({ status: 'applied', applied: true, applied_at: now, viewed_at: trx.raw('coalesce(viewed_at, ?)', [now]) });
        }
        return application;
      });
      ctx.status = 201;
      ctx.body = { id: row.id, status: row.status, aiFitScore: Number(row.ai_fit_score), explainability: row.explainability, submittedAt: row.submitted_at };
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new MeridianError('already_applied', 'You have already applied to this opportunity', { status: 409, expose: true });
      throw error;
    }
  });

  router.get('/opportunities/:id/candidates', authenticate, async (ctx) => {
    const auth = ctx.state.auth!;
    const viewer = await viewers.candidateViewer(auth);
    const r = new QueryReader(ctx.query);
    const size = r.number('size', { min: 1, max: 100, integer: true }) ?? 20;
    r.done();
    const id = ctx.params.id;
    const opportunity = id && isUuid(id) ? await db('opportunities').where({ id }).first('id', 'organization_id') : undefined;
    // A recruiter ranks people for their own organisation's opportunities only.
    if (!opportunity || (viewer.kind !== 'administrator' && opportunity.organization_id !== auth.org)) throw new NotFoundError('No opportunity of your organisation with this id', 'opportunity_not_found');
    const [doc] = await loadDocuments(db, 'opportunities', [opportunity.id]);
    const ranked = await rankCandidates(await rankDeps(), doc!.document, viewer, { size, language: await languageOf(auth.sub) });
    const unmasked = ranked.filter((item) => viewer.organizationId && (item.source.introduced as string[]).includes(viewer.organizationId)).map((item) => item.id);
    const names = await candidateNames(db, unmasked);
    ctx.body = {
      modelVersion: modelVersion(),
      results: ranked.map((item, i) => {
        const { introduced: _introduced, ...candidate } = item.source;
        const name = names.get(item.id) ?? null;
        return { rank: i + 1, score: Math.round(item.score * 10_000) / 10_000, candidate: { ...candidate, name, displayName: name ?? displayName(item.id), masked: name === null }, chips: item.chips };
      }),
    };
  });
}
