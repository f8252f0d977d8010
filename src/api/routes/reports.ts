/**
 * The reporting API under /v1/reports/ (DESIGN §8): a company's metrics for a period against
 * the previous one, their series, SROI with its breakdown, parameters and sensitivity, the
 * evidence behind each outcome quantity (paged, pseudonymous), platform metrics (admins),
 * cohort metrics (their institution or sponsor) and hiring funnels. Every table-shaped
 * answer is also CSV (Accept: text/csv or ?format=csv).
 *
 * Who sees what: an administrator sees every organisation; a funder only their own (any
 * other organisation's id is a 404, as if it did not exist); other roles are refused (403).
 */
import type Router from '@koa/router';
import type { RouterMiddleware } from '@koa/router';
import type { Context } from 'koa';
import type { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { figureEvents, FIGURE_KEYS, outcomeEvents, OUTCOME_KEYS } from '../../db/outcome-events.js';
import { PERIOD_TYPES, periodEndExclusive, periodStart, previousPeriod, type PeriodType } from '../../domain/periods.js';
import { isUuid, QueryReader } from '../validate.js';
import { toCsv, wantsCsv } from '../csv.js';
import { skillGaps } from '../../matching/skill-gaps.js';
import { MIN_GROUP } from '../../domain/suppression.js';
import type { TokenClaims } from '../tokens.js';
import type { ApiState } from '../app.js';

export interface ReportRouteDeps {
  db: Knex;
  authenticate: RouterMiddleware<ApiState>;
  now: () => Date;
}

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const day = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : (value as string | null));

/**
 * Whether a period's participants are too few for figures about their outcomes: an average
 * over fewer than MIN_GROUP people (one, at the extreme) is nearly their own scores, and a
 * funder knows who took part.
 */
const fewParticipants = (row: Record<string, unknown>) => Number(row.participants_count) < MIN_GROUP;

/**
 * A metrics_company_period row as clients see it: numbers as numbers, dates as days; the
 * outcome averages null for fewer than MIN_GROUP participants (`averagesHidden`).
 */
function metricView(row: Record<string, unknown>) {
  const hidden = fewParticipants(row);
  const average = (value: unknown) => (hidden ? null : num(value));
  return {
    periodType: row.period_type, periodStart: day(row.period_start), periodEnd: day(row.period_end),
    participants: row.participants_count, volunteers: row.volunteers_count, sessions: row.sessions_count,
    volunteerHours: num(row.volunteer_hours), placements: row.placements_count,
    avgIntegrationScore: average(row.avg_integration_score), avgLanguageLevel: average(row.avg_language_level),
    avgJobReadiness: average(row.avg_job_readiness), avgWellbeing: average(row.avg_wellbeing), averagesHidden: hidden,
    investmentTotal: num(row.investment_total), outcomesPresentValue: num(row.outcomes_present_value),
    sroiRatio: num(row.sroi_ratio), sroiLow: num(row.sroi_low), sroiHigh: num(row.sroi_high), paybackMonths: num(row.payback_months),
    visScore: num(row.vis_score), valueMapVersion: row.value_map_version ?? null, computedAt: row.computed_at,
  };
}

/** VIS as stored, without the participants' average outcome lift (nor its component) when they are few. */
function visView(row: Record<string, any>) {
  const vis = { score: num(row.vis_score), ...row.breakdown.vis };
  if (!fewParticipants(row)) return vis;
  return { ...vis, outcomeLift: null, components: { ...vis.components, lift: null }, outcomeLiftHidden: true };
}

const COMPARABLE = ['participants', 'volunteers', 'sessions', 'volunteerHours', 'placements', 'avgIntegrationScore', 'avgLanguageLevel', 'avgJobReadiness', 'avgWellbeing', 'investmentTotal', 'outcomesPresentValue', 'sroiRatio', 'visScore'] as const;

function respond(ctx: Context, body: Record<string, unknown>, table: Array<Record<string, unknown>>, filename: string) {
  if (wantsCsv(ctx.get('accept'), ctx.query.format)) {
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="${filename}.csv"`);
    ctx.body = toCsv(table);
  } else {
    ctx.body = body;
  }
}

export function reportRoutes(router: Router<ApiState>, deps: ReportRouteDeps): void {
  const { db, authenticate } = deps;

  /**
   * A token names an organisation; reports about it are for its active members. Someone who
   * left (or was made inactive) keeps a token until it expires, and search already checks
   * membership on every request: reports do too. Administrators act for the platform.
   */
  const member: RouterMiddleware<ApiState> = async (ctx, next) => {
    const auth = ctx.state.auth!;
    if (!auth.roles.includes('administrator') && auth.org) {
      const row = await db('organization_members').where({ organization_id: auth.org, user_id: auth.sub, status: 'active' }).first('id');
      if (!row) throw new ForbiddenError('The token\'s user is not an active member of its organisation', 'not_a_member');
    }
    await next();
  };

  /** The organisation a report is about, if the caller may read it. */
  async function companyFor(auth: TokenClaims, id: string | undefined) {
    const isAdmin = auth.roles.includes('administrator');
    if (!isAdmin && !auth.roles.includes('funder')) throw new ForbiddenError('Impact reports are for funders and administrators', 'role_not_allowed');
    if (!id || !isUuid(id) || (!isAdmin && id !== auth.org)) throw new NotFoundError('No organisation with this id is visible to you', 'organization_not_found');
    const org = await db('organizations').where({ id }).first('id', 'name', 'type');
    if (!org) throw new NotFoundError('No organisation with this id is visible to you', 'organization_not_found');
    return org as { id: string; name: string; type: string };
  }

  function readPeriod(r: QueryReader): { type: PeriodType; start: string } {
    const type = r.oneOf('period_type', PERIOD_TYPES) ?? 'month';
    const given = r.date('period_start')?.slice(0, 10);
    const start = given ?? periodStart(deps.now(), type);
    if (given && periodStart(given, type) !== given) r.problem('period_start', `must be the first day of a ${type} (for example ${periodStart(given, type)})`);
    return { type, start };
  }

  function readRange(r: QueryReader, maxDays: number): { from: string; to: string } {
    const today = deps.now().toISOString().slice(0, 10);
    const to = r.date('to')?.slice(0, 10) ?? periodEndExclusive(periodStart(today, 'month'), 'month');
    const from = r.date('from')?.slice(0, 10) ?? new Date(Date.parse(to) - 365 * 86_400_000).toISOString().slice(0, 10);
    if (from >= to) r.problem('from', 'must be before to');
    else if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > maxDays) r.problem('from', `the range may span at most ${maxDays} days`);
    return { from, to };
  }

  // The organisations and cohorts a reader may open (the dashboard's pickers).
  router.get('/reports/companies', authenticate, member, async (ctx) => {
    const auth = ctx.state.auth!;
    const isAdmin = auth.roles.includes('administrator');
    if (!isAdmin && !auth.roles.includes('funder')) throw new ForbiddenError('Impact reports are for funders and administrators', 'role_not_allowed');
    new QueryReader(ctx.query).done();
    const rows = await db('organizations as o').whereExists(db('metrics_company_period as m').whereRaw('m.organization_id = o.id'))
      .modify((q) => { if (!isAdmin) q.where('o.id', auth.org ?? null); }).orderBy('o.name').select('o.id', 'o.name', 'o.type');
    ctx.body = { rows };
  });

  router.get('/reports/cohorts', authenticate, member, async (ctx) => {
    const auth = ctx.state.auth!;
    const isAdmin = auth.roles.includes('administrator');
    if (!isAdmin && !auth.roles.includes('institution_admin') && !auth.roles.includes('funder')) throw new ForbiddenError('Cohort metrics are for their institution, their sponsor and administrators', 'role_not_allowed');
    // Without an organisation, "sponsored by it" would read as "sponsored by no one".
    if (!isAdmin && !auth.org) throw new ForbiddenError('This token acts for no organisation', 'organization_required');
    new QueryReader(ctx.query).done();
    const rows = await db('cohorts').modify((q) => {
      if (isAdmin) return;
      q.where((w) => {
        if (auth.roles.includes('institution_admin')) w.orWhere('institution_id', auth.org ?? null);
        if (auth.roles.includes('funder')) w.orWhere('sponsor_id', auth.org ?? null);
      });
    }).orderBy('name').select('id', 'name', 'program_type', 'state');
    ctx.body = { rows };
  });

  router.get('/reports/companies/:id/metrics', authenticate, member, async (ctx) => {
    const org = await companyFor(ctx.state.auth!, ctx.params.id);
    const r = new QueryReader(ctx.query);
    const { type, start } = readPeriod(r);
    r.oneOf('format', ['csv', 'json'] as const);
    r.done();
    const previous = previousPeriod(start, type);
    const rows = await db('metrics_company_period').where({ organization_id: org.id, period_type: type }).whereIn('period_start', [start, previous]);
    const find = (s: string) => rows.find((row) => day(row.period_start) === s);
    const current = find(start) ? metricView(find(start)!) : null;
    const before = find(previous) ? metricView(find(previous)!) : null;
    const change = current && before ? Object.fromEntries(COMPARABLE.map((k) => {
      const a = current[k] as number | null;
      const b = before[k] as number | null;
      return [k, a === null || b === null ? null : Math.round((a - b) * 10_000) / 10_000];
    })) : null;
    respond(ctx, { organization: org, periodType: type, current, previous: before, change },
      [current, before].filter(Boolean).map((row) => ({ organization: org.name, ...row })) as Array<Record<string, unknown>>, `metrics-${type}-${start}`);
  });

  router.get('/reports/companies/:id/metrics/series', authenticate, member, async (ctx) => {
    const org = await companyFor(ctx.state.auth!, ctx.params.id);
    const r = new QueryReader(ctx.query);
    const type = r.oneOf('period_type', PERIOD_TYPES) ?? 'month';
    const { from, to } = readRange(r, 366 * 10);
    r.oneOf('format', ['csv', 'json'] as const);
    r.done();
    const rows = (await db('metrics_company_period').where({ organization_id: org.id, period_type: type })
      .where('period_start', '>=', from).where('period_start', '<', to).orderBy('period_start')).map(metricView);
    respond(ctx, { organization: org, periodType: type, from, to, rows }, rows, `metrics-${type}-${from}-${to}`);
  });

  router.get('/reports/companies/:id/sroi', authenticate, member, async (ctx) => {
    const org = await companyFor(ctx.state.auth!, ctx.params.id);
    const r = new QueryReader(ctx.query);
    const { type, start } = readPeriod(r);
    r.oneOf('format', ['csv', 'json'] as const);
    r.done();
    const row = await db('metrics_company_period as m').leftJoin('sroi_value_maps as v', 'v.id', 'm.value_map_id')
      .where({ 'm.organization_id': org.id, 'm.period_type': type, 'm.period_start': start }).first('m.*', 'v.name as value_map_name');
    if (!row) throw new NotFoundError(`No figures for this ${type} yet`, 'period_not_computed');
    const parameters = row.parameters as { outcomes?: Array<Record<string, unknown> & { key: string }> };
    const outcomes = (row.breakdown.outcomes as Array<{ key: string; quantity: number; yearValues: number[]; presentValue: number }>).map((o) => ({
      ...o, ...(parameters.outcomes?.find((p) => p.key === o.key) ?? {}),
      sensitivity: (row.breakdown.sensitivity?.proxies as Array<{ key: string; low: number; high: number }> | undefined)?.find((p) => p.key === o.key) ?? null,
    }));
    respond(ctx, {
      organization: org, periodType: type, periodStart: start, ratio: num(row.sroi_ratio), range: { low: num(row.sroi_low), high: num(row.sroi_high) },
      investment: { total: num(row.investment_total), ...row.breakdown.investment }, presentValue: num(row.outcomes_present_value), paybackMonths: num(row.payback_months),
      valueMap: row.value_map_id ? { id: row.value_map_id, version: row.value_map_version, name: row.value_map_name, currency: row.parameters.currency, discountRate: row.parameters.discountRate, volunteerHourValue: row.parameters.volunteerHourValue } : null,
      outcomes, sensitivityGrid: row.breakdown.sensitivity?.grid ?? [], vis: visView(row),
    }, outcomes.map(({ yearValues, sensitivity, ...o }) => ({ ...o, yearValues, sensitivityLow: sensitivity?.low ?? null, sensitivityHigh: sensitivity?.high ?? null })), `sroi-${type}-${start}`);
  });

  // The records behind one outcome quantity: which placement, session, score, check-in or
  // course counted, when, and for how much — participants as stable pseudonyms, never names.
  router.get('/reports/companies/:id/evidence', authenticate, member, async (ctx) => {
    const org = await companyFor(ctx.state.auth!, ctx.params.id);
    const r = new QueryReader(ctx.query);
    const { type, start } = readPeriod(r);
    // An SROI outcome, or one of the activity figures behind the dashboard's tiles.
    const outcome = r.oneOf('outcome', [...OUTCOME_KEYS, ...FIGURE_KEYS]);
    const size = r.number('size', { min: 1, max: 500, integer: true }) ?? 50;
    const cursor = r.string('cursor', { max: 200 });
    r.oneOf('format', ['csv', 'json'] as const);
    if (!outcome) r.problem('outcome', `is required: one of ${[...OUTCOME_KEYS, ...FIGURE_KEYS].join(', ')}`);
    let after: [string, string] | undefined;
    if (cursor) {
      try {
        const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
        // As issued: the last row's instant (toISOString) and record id; anything else would
        // reach Postgres's casts.
        if (!Array.isArray(parsed) || parsed.length !== 2 || !parsed.every((v) => typeof v === 'string')) throw new Error('shape');
        const [at, id] = parsed as [string, string];
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at) || Number.isNaN(Date.parse(at)) || !isUuid(id)) throw new Error('values');
        after = parsed as [string, string];
      } catch {
        throw new ValidationError('The cursor is not one this API issued', { param: 'cursor' }, 'cursor_invalid');
      }
    }
    r.done();
    const end = periodEndExclusive(start, type);
    const isFigure = (FIGURE_KEYS as string[]).includes(outcome!);
    const events = isFigure ? figureEvents('p.organization_id = ?')[outcome!] : outcomeEvents('p.organization_id = ?')[outcome!];
    // Enrolments count for every period they overlap; everything else for when it happened.
    const inPeriod = outcome === 'participants' ? 'e.occurred_at < ?::date AND (e.ended_at IS NULL OR e.ended_at >= ?::date)' : 'e.occurred_at >= ?::date AND e.occurred_at < ?::date';
    const periodBindings = outcome === 'participants' ? [end, start] : [start, end];
    const { rows } = await db.raw(`
      SELECT e.record_table, e.record_id, e.user_id, e.occurred_at, e.amount::float AS amount, count(*) OVER ()::int AS total
      FROM (${events}) e
      WHERE e.organization_id = ? AND ${inPeriod}
        ${after ? 'AND (e.occurred_at, e.record_id) > (?::timestamptz, ?::uuid)' : ''}
      ORDER BY e.occurred_at, e.record_id LIMIT ?`, [org.id, org.id, ...periodBindings, ...(after ?? []), size + 1]);
    const page = rows.slice(0, size).map((row: { record_table: string; record_id: string; user_id: string; occurred_at: Date; amount: number }) => ({
      outcome, recordTable: row.record_table, recordId: row.record_id, occurredAt: row.occurred_at.toISOString(), amount: row.amount,
      participant: row.user_id ? createHash('sha256').update(`${org.id}:${row.user_id}`).digest('hex').slice(0, 12) : null,
    }));
    const last = rows.length > size ? rows[size - 1] : undefined;
    respond(ctx, {
      organization: org, periodType: type, periodStart: start, outcome, rows: page,
      nextCursor: last ? Buffer.from(JSON.stringify([last.occurred_at.toISOString(), last.record_id])).toString('base64url') : null,
    }, page, `evidence-${outcome}-${type}-${start}`);
  });

  // The skills that would unlock the most opportunities for the company's programme participants.
  router.get('/reports/companies/:id/skill-gaps', authenticate, member, async (ctx) => {
    const org = await companyFor(ctx.state.auth!, ctx.params.id);
    const r = new QueryReader(ctx.query);
    const size = r.number('size', { min: 1, max: 50, integer: true }) ?? 10;
    r.oneOf('format', ['csv', 'json'] as const);
    r.done();
    const participants = await db('program_enrollments as pe').join('programs as p', 'p.id', 'pe.program_id').join('candidates as c', 'c.user_id', 'pe.user_id')
      .where('p.organization_id', org.id).whereIn('pe.status', ['active', 'completed']).distinct('c.id').pluck('c.id');
    const gaps = await skillGaps(db, participants as string[], deps.now(), size);
    // Fewer than 5 people behind a gap would single them out.
    const rows = gaps.filter((g) => (g.people ?? 0) >= 5).map((g) => ({ skill: g.label, slug: g.slug, participants: g.people, opportunitiesUnlocked: g.unlocks, trainings: g.trainings.map((t) => t.title).join('; ') }));
    respond(ctx, { organization: org, participants: participants.length, rows }, rows, 'skill-gaps');
  });

  router.get('/reports/platform', authenticate, member, async (ctx) => {
    if (!ctx.state.auth!.roles.includes('administrator')) throw new ForbiddenError('Platform metrics are for administrators', 'role_not_allowed');
    const r = new QueryReader(ctx.query);
    const { from, to } = readRange(r, 366 * 3);
    r.oneOf('format', ['csv', 'json'] as const);
    r.done();
    const rows = (await db('platform_metrics').where('metric_date', '>=', from).where('metric_date', '<', to).orderBy('metric_date'))
      .map(({ id: _id, created_at: _created, ...row }) => ({ ...row, metric_date: day(row.metric_date), acceptance_rate_percentage: num(row.acceptance_rate_percentage), avg_response_time_hours: num(row.avg_response_time_hours), revenue_today_ngn: num(row.revenue_today_ngn) }));
    respond(ctx, { from, to, rows }, rows, `platform-${from}-${to}`);
  });

  router.get('/reports/cohorts/:id', authenticate, member, async (ctx) => {
    const auth = ctx.state.auth!;
    const isAdmin = auth.roles.includes('administrator');
    if (!isAdmin && !auth.roles.includes('institution_admin') && !auth.roles.includes('funder')) throw new ForbiddenError('Cohort metrics are for their institution, their sponsor and administrators', 'role_not_allowed');
    const id = ctx.params.id;
    const cohort = id && isUuid(id) ? await db('cohorts').where({ id }).first('id', 'name', 'institution_id', 'sponsor_id') : undefined;
    const mine = cohort && (isAdmin || (auth.roles.includes('institution_admin') && cohort.institution_id === auth.org) || (auth.roles.includes('funder') && cohort.sponsor_id && cohort.sponsor_id === auth.org));
    if (!mine) throw new NotFoundError('No cohort with this id is visible to you', 'cohort_not_found');
    const r = new QueryReader(ctx.query);
    const { from, to } = readRange(r, 366 * 3);
    r.oneOf('format', ['csv', 'json'] as const);
    r.done();
    const rows = (await db('cohort_metrics').where({ cohort_id: cohort.id }).where('metric_date', '>=', from).where('metric_date', '<', to).orderBy('metric_date'))
      .map(({ id: _id, cohort_id: _c, created_at: _created, ...row }) => ({ ...row, metric_date: day(row.metric_date) }));
    respond(ctx, { cohort: { id: cohort.id, name: cohort.name }, from, to, rows }, rows, `cohort-${from}-${to}`);
  });

  // Hiring funnel: for an administrator, companies reaching each stage; for a funder or
  // employer, their own opportunities' applications reaching each stage.
  router.get('/reports/funnel', authenticate, member, async (ctx) => {
    const auth = ctx.state.auth!;
    const isAdmin = auth.roles.includes('administrator');
    if (!isAdmin && !auth.roles.includes('funder') && !auth.roles.includes('recruiter')) throw new ForbiddenError('Funnels are for administrators, funders and recruiters', 'role_not_allowed');
    if (!isAdmin && !auth.org) throw new ForbiddenError('This token acts for no organisation', 'organization_required');
    const r = new QueryReader(ctx.query);
    const { from, to } = readRange(r, 366 * 3);
    r.oneOf('format', ['csv', 'json'] as const);
    r.done();
    const reached = (statuses: string) => `a.status IN (${statuses})`;
    const SHORTLIST = reached(`'SHORTLISTED', 'INTERVIEW', 'OFFERED', 'ACCEPTED', 'HIRED'`);
    const INTERVIEW = reached(`'INTERVIEW', 'OFFERED', 'ACCEPTED', 'HIRED'`);
    const CONTRACT = reached(`'ACCEPTED', 'HIRED'`);
    const stages = isAdmin
      ? (await db.raw(`
          WITH signed AS (SELECT id FROM organizations WHERE type IN ('employer', 'private_sector', 'csr_company') AND created_at >= ? AND created_at < ?),
          apps AS (SELECT o.organization_id, a.* FROM opportunities o JOIN applications a ON a.opportunity_id = o.id WHERE o.organization_id IN (SELECT id FROM signed))
          SELECT (SELECT count(*) FROM signed)::int AS signed_up,
            (SELECT count(DISTINCT organization_id) FROM opportunities WHERE organization_id IN (SELECT id FROM signed))::int AS posted,
            (SELECT count(DISTINCT organization_id) FROM apps a WHERE ${SHORTLIST})::int AS shortlisted,
            (SELECT count(DISTINCT organization_id) FROM apps a WHERE ${INTERVIEW})::int AS interviewed,
            (SELECT count(DISTINCT organization_id) FROM apps a WHERE ${CONTRACT})::int AS contracted,
            (SELECT count(DISTINCT p.organization_id) FROM placements p WHERE p.organization_id IN (SELECT id FROM signed))::int AS placed`, [from, to])).rows[0]
      : (await db.raw(`
          WITH posted AS (SELECT id FROM opportunities WHERE organization_id = ? AND created_at >= ? AND created_at < ?),
          apps AS (SELECT a.* FROM applications a WHERE a.opportunity_id IN (SELECT id FROM posted))
          SELECT (SELECT count(*) FROM posted)::int AS posted, (SELECT count(*) FROM apps)::int AS applications,
            (SELECT count(*) FROM apps a WHERE ${SHORTLIST})::int AS shortlisted, (SELECT count(*) FROM apps a WHERE ${INTERVIEW})::int AS interviewed,
            (SELECT count(*) FROM apps a WHERE ${CONTRACT})::int AS contracted,
            (SELECT count(*) FROM placements p WHERE p.opportunity_id IN (SELECT id FROM posted))::int AS placed`, [auth.org!, from, to])).rows[0];
    const table = Object.entries(stages as Record<string, number>).map(([stage, count]) => ({ stage, count }));
    respond(ctx, { scope: isAdmin ? 'platform' : 'organization', from, to, stages: table }, table, `funnel-${from}-${to}`);
  });
}
