/**
 * The funders' impact dashboard: a static page that talks to the Meridian API over HTTP
 * with the reader's bearer token. Everything is scoped by the API to the reader's
 * organisation; the page only asks. Views: overview (KPI tiles against the previous period),
 * trends, SROI explained, cohorts, platform (administrators). State lives in the URL hash.
 */
import { ApiError, downloadCsv, getJson, token } from './api.js';
import { disposeCharts, funnel, lines, tornado } from './charts.js';
import { change, escapeHtml, formatNumber } from './format.js';
import { hashOf, periodStartOf, readState, shiftPeriod, VIEWS, type State, type View } from './state.js';

interface Me { user: { first_name: string; last_name: string }; organization: { id: string; name: string } | null; roles: string[] }
interface Company { id: string; name: string }
type Metric = Record<string, number | string | null> & { periodStart: string };

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const view = () => $('#view');
let me: Me | undefined;
let companies: Company[] = [];
let identity: Promise<void> | undefined;
let generation = 0;

const VIEW_LABELS: Record<View, string> = { overview: 'Overview', trends: 'Trends', sroi: 'SROI explained', cohorts: 'Cohorts', platform: 'Platform' };

const TILES: Array<{ key: string; label: string; kind: 'int' | 'dec' | 'ratio'; evidence?: string; explain: string }> = [
  { key: 'participants', label: 'Participants', kind: 'int', evidence: 'participants', explain: 'People enrolled in your programmes at any time during the period.' },
  { key: 'volunteers', label: 'Volunteers', kind: 'int', evidence: 'volunteers', explain: 'Distinct volunteers who completed a session with a participant in the period.' },
  { key: 'sessions', label: 'Sessions', kind: 'int', evidence: 'sessions', explain: 'Language and mentorship sessions completed in the period.' },
  { key: 'volunteerHours', label: 'Volunteer hours', kind: 'dec', evidence: 'volunteer_hours', explain: 'Employee volunteering hours recorded as investment in the period.' },
  { key: 'sroiRatio', label: 'SROI', kind: 'ratio', explain: 'Present value of outcomes ÷ investment, with the range from each financial proxy at ±50%.' },
  { key: 'visScore', label: 'VIS', kind: 'dec', evidence: 'sessions', explain: 'Volunteer impact score (0–100): hours, session quality, outcome lift and placement rate.' },
  { key: 'placements', label: 'Placements', kind: 'int', evidence: 'employment', explain: 'Participants who started a job in the period.' },
];

function setView(html: string) {
  disposeCharts();
  view().innerHTML = html;
}

function showError(error: unknown) {
  const message = error instanceof ApiError ? `${error.message} (${error.code})` : (error as Error).message;
  setView(`<div class="state error" role="alert">Something went wrong: ${escapeHtml(message)}. <button type="button" id="retry">Try again</button></div>`);
  $('#retry').addEventListener('click', () => void render());
}

function navigate(patch: Partial<State>) {
  location.hash = hashOf({ ...readState(), ...patch });
}

function renderNav(state: State) {
  const admin = me?.roles.includes('administrator');
  const visible = VIEWS.filter((v) => v !== 'platform' || admin);
  $('#nav').innerHTML = visible.map((v) => `<a href="${hashOf({ ...state, view: v })}" ${v === state.view ? 'aria-current="page"' : ''}>${VIEW_LABELS[v]}</a>`).join('');
}

/** The last 24 periods of the chosen type (and the selected one, if older). */
function periodOptions(state: State): string {
  const latest = periodStartOf(new Date(), state.periodType);
  const values = new Set<string>([state.periodStart]);
  for (let i = 0; i < 24; i++) values.add(shiftPeriod(latest, state.periodType, -i));
  return [...values].sort().reverse().map((v) => `<option value="${v}" ${v === state.periodStart ? 'selected' : ''}>${v}</option>`).join('');
}

function renderControls(state: State) {
  const company = companies.length > 1 ? `<label>Organisation<select id="company" aria-label="Organisation">${companies.map((c) => `<option value="${c.id}" ${c.id === state.company ? 'selected' : ''}>${escapeHtml(c.name)}</option>`).join('')}</select></label>` : '';
  const period = state.view === 'overview' || state.view === 'sroi'
    ? `<label>Period<select id="period-type" aria-label="Period type">${['month', 'quarter', 'year'].map((t) => `<option ${t === state.periodType ? 'selected' : ''}>${t}</option>`).join('')}</select></label>
       <label>Starting<select id="period-start" aria-label="Period start">${periodOptions(state)}</select></label>`
    : `<label>Period<select id="period-type" aria-label="Period type">${['month', 'quarter', 'year'].map((t) => `<option ${t === state.periodType ? 'selected' : ''}>${t}</option>`).join('')}</select></label>
       <label>From<input type="date" id="from" value="${state.from}" aria-label="From date"></label>
       <label>To<input type="date" id="to" value="${state.to}" aria-label="To date (exclusive)"></label>`;
  $('#controls').innerHTML = `${company}${state.view === 'platform' || state.view === 'cohorts' ? period.replace(/<label>Period<select[\s\S]*?<\/label>/, '') : period}`;
  $('#controls').querySelector('#company')?.addEventListener('change', (e) => navigate({ company: (e.target as HTMLSelectElement).value }));
  $('#controls').querySelector('#period-type')?.addEventListener('change', (e) => {
    const periodType = (e.target as HTMLSelectElement).value as State['periodType'];
    const [y, m] = state.periodStart.split('-').map(Number) as [number, number];
    const month = periodType === 'month' ? m : periodType === 'quarter' ? m - ((m - 1) % 3) : 1;
    navigate({ periodType, periodStart: `${y}-${String(month).padStart(2, '0')}-01` });
  });
  $('#controls').querySelector('#period-start')?.addEventListener('change', (e) => navigate({ periodStart: (e.target as HTMLSelectElement).value }));
  for (const id of ['from', 'to'] as const) $('#controls').querySelector(`#${id}`)?.addEventListener('change', (e) => navigate({ [id]: (e.target as HTMLInputElement).value }));
}

function tableHtml(name: string, columns: Array<{ key: string; label: string; num?: boolean; kind?: 'int' | 'dec' }>, rows: Array<Record<string, unknown>>, csvPath?: string): string {
  const head = `<div class="table-head"><h2>${escapeHtml(name)}</h2>${csvPath ? `<button type="button" class="csv" data-csv="${escapeHtml(csvPath)}" data-filename="${escapeHtml(name.toLowerCase().replace(/\W+/g, '-'))}.csv">Export CSV</button>` : ''}</div>`;
  if (rows.length === 0) return `<div class="card">${head}<div class="state">No data for this selection yet.</div></div>`;
  return `<div class="card">${head}<table data-table="${escapeHtml(name)}"><thead><tr>${columns.map((c) => `<th scope="col" class="${c.num ? 'num' : ''}">${escapeHtml(c.label)}</th>`).join('')}</tr></thead>
    <tbody>${rows.map((row) => `<tr>${columns.map((c) => `<td class="${c.num ? 'num' : ''}" data-key="${c.key}">${c.num ? formatNumber(row[c.key] as number | null, c.kind ?? 'dec') : escapeHtml(row[c.key])}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
}

function wireCsv() {
  view().querySelectorAll<HTMLButtonElement>('button.csv').forEach((button) => button.addEventListener('click', () => {
    downloadCsv(button.dataset.csv!, button.dataset.filename!).catch(showError);
  }));
}

// ------------------------------------------------------------------ evidence drawer

async function openEvidence(state: State, title: string, outcomes: string[], explain?: string) {
  const drawer = $('#drawer');
  drawer.hidden = false;
  $('#drawer-title').textContent = title;
  const body = $('#drawer-body');
  body.innerHTML = '<div class="state">Loading the records…</div>';
  $('#drawer-close').focus();
  try {
    const sections: string[] = [];
    for (const outcome of outcomes) {
      const path = `/v1/reports/companies/${state.company}/evidence?period_type=${state.periodType}&period_start=${state.periodStart}&outcome=${outcome}&size=100`;
      const page = await getJson<{ rows: Array<Record<string, unknown>>; nextCursor: string | null }>(path);
      sections.push(`<h3>${escapeHtml(outcome)}</h3>${page.rows.length === 0 ? '<p class="note">No records in this period.</p>' : `<table data-table="evidence-${escapeHtml(outcome)}"><thead><tr><th scope="col">When</th><th scope="col">Record</th><th scope="col">Participant</th><th scope="col" class="num">Amount</th></tr></thead><tbody>${page.rows.map((r) => `<tr><td>${escapeHtml(String(r.occurredAt).slice(0, 10))}</td><td>${escapeHtml(r.recordTable)} ${escapeHtml(String(r.recordId).slice(0, 8))}</td><td>${escapeHtml(r.participant ?? '—')}</td><td class="num">${formatNumber(r.amount as number, 'int')}</td></tr>`).join('')}</tbody></table>${page.nextCursor ? '<p class="note">First 100 records shown; export the full list as CSV.</p>' : ''}`}
        <button type="button" class="csv" data-csv="${escapeHtml(path.replace('&size=100', '&size=500'))}" data-filename="evidence-${escapeHtml(outcome)}.csv">Export CSV</button>`);
    }
    body.innerHTML = `${explain ? `<p class="note">${escapeHtml(explain)}</p>` : ''}${sections.join('')}`;
    body.querySelectorAll<HTMLButtonElement>('button.csv').forEach((b) => b.addEventListener('click', () => void downloadCsv(b.dataset.csv!, b.dataset.filename!)));
  } catch (error) {
    body.innerHTML = `<div class="state error" role="alert">${escapeHtml((error as Error).message)}</div>`;
  }
}

// ------------------------------------------------------------------ views

async function overview(state: State, mine: number) {
  setView(`<h2>Overview — ${escapeHtml(state.periodType)} from ${escapeHtml(state.periodStart)}</h2><div class="tiles" aria-busy="true">${TILES.map(() => '<div class="skeleton"></div>').join('')}</div>`);
  const q = `period_type=${state.periodType}&period_start=${state.periodStart}`;
  const [metrics, sroi] = await Promise.all([
    getJson<{ current: Metric | null; previous: Metric | null }>(`/v1/reports/companies/${state.company}/metrics?${q}`),
    getJson<{ range: { low: number | null; high: number | null } }>(`/v1/reports/companies/${state.company}/sroi?${q}`).catch((e: ApiError) => (e.code === 'period_not_computed' ? null : Promise.reject(e))),
  ]);
  if (mine !== generation) return;
  if (!metrics.current) {
    setView(`<h2>Overview</h2><div class="state">No figures for this ${escapeHtml(state.periodType)} yet. Pick another period.</div>`);
    return;
  }
  const tiles = TILES.map((tile) => {
    const current = metrics.current![tile.key] as number | null;
    const previous = (metrics.previous?.[tile.key] as number | null) ?? null;
    const delta = change(current, previous);
    const range = tile.key === 'sroiRatio' && sroi?.range.low != null ? `<div class="range">range ${formatNumber(sroi.range.low, 'dec')} – ${formatNumber(sroi.range.high, 'dec')}</div>` : '';
    return `<button type="button" class="tile" data-metric="${tile.key}" data-value="${current ?? ''}" aria-label="${escapeHtml(tile.label)}: ${formatNumber(current, tile.kind)}, ${escapeHtml(delta.label)}. Open the evidence.">
      <div class="label">${escapeHtml(tile.label)}</div><div class="value">${formatNumber(current, tile.kind)}</div>${range}<div class="change ${delta.className}">${escapeHtml(delta.text)}</div></button>`;
  }).join('');
  setView(`<h2>Overview — ${escapeHtml(state.periodType)} from ${escapeHtml(state.periodStart)}</h2><div class="tiles">${tiles}</div>
    <p class="note">Select a figure to see where it came from.</p>`);
  view().querySelectorAll<HTMLButtonElement>('.tile').forEach((el) => el.addEventListener('click', () => {
    const tile = TILES.find((t) => t.key === el.dataset.metric)!;
    const outcomes = tile.key === 'sroiRatio' ? ['investment', 'employment', 'language_gain', 'job_readiness', 'wellbeing', 'credential'] : tile.evidence ? [tile.evidence] : [];
    void openEvidence(state, `${tile.label}: where it comes from`, outcomes, tile.explain);
  }));
  document.body.dataset.rendered = 'overview';
  performance.mark('meridian:first-meaningful-render');
}

async function trends(state: State, mine: number) {
  setView('<div class="state" aria-busy="true">Loading trends…</div>');
  const path = `/v1/reports/companies/${state.company}/metrics/series?period_type=${state.periodType}&from=${state.from}&to=${state.to}`;
  const series = await getJson<{ rows: Metric[] }>(path);
  if (mine !== generation) return;
  if (series.rows.length === 0) return setView('<div class="state">No figures in this range yet.</div>');
  const x = series.rows.map((r) => r.periodStart);
  const col = (key: string) => series.rows.map((r) => r[key] as number | null);
  setView(`<h2>Trends</h2>
    <div class="card"><div class="chart" id="activity" role="img" aria-label="Participants, sessions and placements per ${escapeHtml(state.periodType)}"></div></div>
    <div class="card"><h2>Outcomes by dimension</h2><div class="chart" id="outcomes" role="img" aria-label="Average integration, language, job readiness and wellbeing scores"></div></div>
    <div class="card"><div class="chart" id="impact" role="img" aria-label="SROI ratio and VIS per period"></div></div>
    ${tableHtml('Metrics by period', [{ key: 'periodStart', label: 'Period' }, { key: 'participants', label: 'Participants', num: true, kind: 'int' }, { key: 'sessions', label: 'Sessions', num: true, kind: 'int' }, { key: 'volunteerHours', label: 'Volunteer hours', num: true }, { key: 'placements', label: 'Placements', num: true, kind: 'int' }, { key: 'investmentTotal', label: 'Investment', num: true }, { key: 'sroiRatio', label: 'SROI', num: true }, { key: 'visScore', label: 'VIS', num: true }], series.rows, path)}`);
  lines($('#activity'), x, [{ name: 'Participants', data: col('participants') }, { name: 'Sessions', data: col('sessions') }, { name: 'Placements', data: col('placements') }]);
  lines($('#outcomes'), x, [{ name: 'Integration', data: col('avgIntegrationScore') }, { name: 'Language', data: col('avgLanguageLevel') }, { name: 'Job readiness', data: col('avgJobReadiness') }, { name: 'Wellbeing', data: col('avgWellbeing') }]);
  lines($('#impact'), x, [{ name: 'SROI', data: col('sroiRatio') }, { name: 'VIS ÷ 10', data: col('visScore').map((v) => (v === null ? null : v / 10)) }]);
  wireCsv();
  document.body.dataset.rendered = 'trends';
  void skillGapsCard(state, mine);
}

/** The skills that would unlock the most opportunities for the programme's participants. */
async function skillGapsCard(state: State, mine: number) {
  const path = `/v1/reports/companies/${state.company}/skill-gaps?size=10`;
  const holder = document.createElement('div');
  holder.innerHTML = '<div class="card"><div class="state" aria-busy="true">Loading skill gaps…</div></div>';
  view().append(holder);
  try {
    const gaps = await getJson<{ participants: number; rows: Array<Record<string, unknown>> }>(path);
    if (mine !== generation) return;
    holder.innerHTML = tableHtml('Skill gaps of your participants', [{ key: 'skill', label: 'Skill' }, { key: 'participants', label: 'Participants lacking it', num: true, kind: 'int' }, { key: 'opportunitiesUnlocked', label: 'Matches it would add', num: true, kind: 'int' }, { key: 'trainings', label: 'Trainings that teach it' }], gaps.rows, path);
    holder.querySelectorAll<HTMLButtonElement>('button.csv').forEach((b) => b.addEventListener('click', () => void downloadCsv(b.dataset.csv!, b.dataset.filename!)));
    holder.dataset.gaps = 'loaded';
  } catch (error) {
    holder.innerHTML = `<div class="card state error" role="alert">Skill gaps could not be loaded: ${escapeHtml((error as Error).message)}</div>`;
    holder.dataset.gaps = 'failed';
  }
}

async function sroiView(state: State, mine: number) {
  setView('<div class="state" aria-busy="true">Loading SROI…</div>');
  const path = `/v1/reports/companies/${state.company}/sroi?period_type=${state.periodType}&period_start=${state.periodStart}`;
  let sroi: any;
  try {
    sroi = await getJson<any>(path);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'period_not_computed') return setView('<div class="state">No figures for this period yet.</div>');
    throw error;
  }
  if (mine !== generation) return;
  const outcomes = (sroi.outcomes as any[]).map((o) => ({ ...o, deadweightPct: o.deadweight * 100, attributionPct: o.attribution * 100, displacementPct: o.displacement * 100, dropOffPct: o.dropOff * 100 }));
  setView(`<h2>SROI explained — ${formatNumber(sroi.ratio, 'ratio')} <span class="note">(range ${formatNumber(sroi.range.low, 'dec')} – ${formatNumber(sroi.range.high, 'dec')}; payback ${formatNumber(sroi.paybackMonths, 'dec')} months)</span></h2>
    <p class="note">Investment ${formatNumber(sroi.investment.total, 'dec')} ${escapeHtml(sroi.valueMap?.currency ?? '')} · present value of outcomes ${formatNumber(sroi.presentValue, 'dec')} · value map v${escapeHtml(sroi.valueMap?.version ?? '—')} · discount rate ${formatNumber((sroi.valueMap?.discountRate ?? 0) * 100, 'dec')}%</p>
    ${tableHtml('Value map', [{ key: 'key', label: 'Outcome' }, { key: 'quantity', label: 'Quantity', num: true }, { key: 'financialProxy', label: 'Financial proxy', num: true }, { key: 'proxySource', label: 'Proxy source' }, { key: 'deadweightPct', label: 'Deadweight %', num: true }, { key: 'attributionPct', label: 'Attribution %', num: true }, { key: 'displacementPct', label: 'Displacement %', num: true }, { key: 'dropOffPct', label: 'Drop-off %', num: true }, { key: 'benefitYears', label: 'Years', num: true, kind: 'int' }, { key: 'presentValue', label: 'Present value', num: true }], outcomes, path)}
    <div class="card"><h2>Sensitivity: each proxy at ±50%</h2><div class="chart" id="tornado" role="img" aria-label="SROI when each financial proxy is 50% lower or higher"></div></div>
    <div class="card"><h2>Evidence</h2>${outcomes.map((o) => `<button type="button" class="evidence" data-outcome="${escapeHtml(o.key)}">${escapeHtml(o.key)}: ${formatNumber(o.quantity, 'int')} records</button>`).join(' ')}</div>`);
  tornado($('#tornado'), outcomes.map((o) => o.key), outcomes.map((o) => o.sensitivity?.low ?? null), outcomes.map((o) => o.sensitivity?.high ?? null), sroi.ratio ?? 0);
  view().querySelectorAll<HTMLButtonElement>('button.evidence').forEach((b) => b.addEventListener('click', () => void openEvidence(state, `Evidence: ${b.dataset.outcome}`, [b.dataset.outcome!])));
  wireCsv();
  document.body.dataset.rendered = 'sroi';
}

async function cohortsView(state: State, mine: number) {
  setView('<div class="state" aria-busy="true">Loading cohorts…</div>');
  const list = await getJson<{ rows: Array<{ id: string; name: string }> }>('/v1/reports/cohorts').catch((e: ApiError) => (e.code === 'role_not_allowed' ? { rows: [] } : Promise.reject(e)));
  if (mine !== generation) return;
  if (list.rows.length === 0) return setView('<div class="state">No cohorts are linked to your organisation.</div>');
  const cohort = list.rows.find((c) => c.id === state.cohort) ?? list.rows[0]!;
  const path = `/v1/reports/cohorts/${cohort.id}?from=${state.from}&to=${state.to}`;
  const data = await getJson<{ rows: Array<Record<string, any>> }>(path);
  if (mine !== generation) return;
  const latest = data.rows[data.rows.length - 1];
  const demographics = latest ? Object.entries(latest.demographics as Record<string, Record<string, number | null>>).flatMap(([dimension, groups]) => Object.entries(groups).map(([group, count]) => ({ dimension, group, count: count === null ? 'fewer than 5' : String(count) }))) : [];
  setView(`<label>Cohort <select id="cohort" aria-label="Cohort">${list.rows.map((c) => `<option value="${c.id}" ${c.id === cohort.id ? 'selected' : ''}>${escapeHtml(c.name)}</option>`).join('')}</select></label>
    <div class="card"><h2>Funnel on ${escapeHtml(latest?.metric_date ?? '—')}</h2><div class="chart" id="cohort-funnel" role="img" aria-label="Enrolled, in progress and complete"></div></div>
    ${tableHtml('Demographics', [{ key: 'dimension', label: 'Dimension' }, { key: 'group', label: 'Group' }, { key: 'count', label: 'People' }], demographics)}
    ${tableHtml('Cohort by day', [{ key: 'metric_date', label: 'Day' }, { key: 'enrolled', label: 'Enrolled', num: true, kind: 'int' }, { key: 'waiting', label: 'Waiting', num: true, kind: 'int' }, { key: 'in_progress', label: 'In progress', num: true, kind: 'int' }, { key: 'complete', label: 'Complete', num: true, kind: 'int' }, { key: 'verification_verified', label: 'Verified', num: true, kind: 'int' }], data.rows.slice(-31), path)}`);
  $('#cohort').addEventListener('change', (e) => navigate({ cohort: (e.target as HTMLSelectElement).value }));
  if (latest) funnel($('#cohort-funnel'), [{ name: 'Enrolled', value: latest.enrolled }, { name: 'In progress or complete', value: latest.in_progress + latest.complete }, { name: 'Complete', value: latest.complete }]);
  wireCsv();
  document.body.dataset.rendered = 'cohorts';
}

async function platformView(state: State, mine: number) {
  setView('<div class="state" aria-busy="true">Loading platform metrics…</div>');
  const path = `/v1/reports/platform?from=${state.from}&to=${state.to}`;
  const [daily, hiring] = await Promise.all([getJson<{ rows: Array<Record<string, any>> }>(path), getJson<{ stages: Array<{ stage: string; count: number }> }>(`/v1/reports/funnel?from=${state.from}&to=${state.to}`)]);
  if (mine !== generation) return;
  const sum = (key: string) => daily.rows.reduce((s, r) => s + Number(r[key] ?? 0), 0);
  setView(`<h2>Platform</h2>
    <div class="card"><div class="chart" id="daily" role="img" aria-label="Searches, profile views and applications per day"></div></div>
    <div class="card"><h2>Recommendation funnel</h2><div class="chart" id="recs" role="img" aria-label="Recommendations generated, viewed, clicked, applied"></div></div>
    <div class="card"><h2>Hiring funnel</h2><div class="chart" id="hiring" role="img" aria-label="Companies from sign-up to placement"></div></div>
    ${tableHtml('Platform by day', [{ key: 'metric_date', label: 'Day' }, { key: 'total_candidates', label: 'Candidates', num: true, kind: 'int' }, { key: 'active_job_roles', label: 'Active roles', num: true, kind: 'int' }, { key: 'total_searches_today', label: 'Searches', num: true, kind: 'int' }, { key: 'applications_today', label: 'Applications', num: true, kind: 'int' }, { key: 'placements_today', label: 'Placements', num: true, kind: 'int' }], daily.rows.slice(-31), path)}`);
  lines($('#daily'), daily.rows.map((r) => r.metric_date), [{ name: 'Searches', data: daily.rows.map((r) => r.total_searches_today) }, { name: 'Profile views', data: daily.rows.map((r) => r.total_profile_views_today) }, { name: 'Applications', data: daily.rows.map((r) => r.applications_today) }]);
  funnel($('#recs'), [{ name: 'Generated', value: sum('recommendations_generated_today') }, { name: 'Viewed', value: sum('recommendations_viewed_today') }, { name: 'Clicked', value: sum('recommendations_clicked_today') }, { name: 'Applied', value: sum('recommendations_applied_today') }]);
  funnel($('#hiring'), hiring.stages.map((s) => ({ name: s.stage.replace('_', ' '), value: s.count })));
  wireCsv();
  document.body.dataset.rendered = 'platform';
}

const RENDERERS: Record<View, (state: State, mine: number) => Promise<void>> = { overview, trends, sroi: sroiView, cohorts: cohortsView, platform: platformView };

async function render() {
  const mine = ++generation;
  delete document.body.dataset.rendered;
  $('#drawer').hidden = true;
  if (!token.get()) {
    $('#signin').hidden = false;
    setView('');
    $('#controls').innerHTML = '';
    $('#nav').innerHTML = '';
    return;
  }
  $('#signin').hidden = true;
  try {
    // Who the reader is and what they may open, loaded once and shared by every render
    // (a render started while another is still loading waits for the same answer).
    identity ??= (async () => {
      me = await getJson<Me>('/v1/me');
      companies = (await getJson<{ rows: Company[] }>('/v1/reports/companies').catch(() => ({ rows: [] }))).rows;
      $('#who').innerHTML = `${escapeHtml(me.user.first_name)} ${escapeHtml(me.user.last_name)}${me.organization ? ` · ${escapeHtml(me.organization.name)}` : ''} · <button type="button" id="signout">Sign out</button>`;
      $('#signout').addEventListener('click', () => { token.clear(); me = undefined; identity = undefined; void render(); });
    })().catch((error) => { identity = undefined; throw error; });
    await identity;
    // A newer render (the reader navigated meanwhile) owns the page now.
    if (mine !== generation) return;
    const state = readState();
    if (!state.company && companies.length > 0) state.company = (companies.find((c) => c.id === me!.organization?.id) ?? companies[0]!).id;
    renderNav(state);
    renderControls(state);
    if (!state.company && (state.view === 'overview' || state.view === 'trends' || state.view === 'sroi')) {
      return setView('<div class="state">Your organisation has no impact figures yet.</div>');
    }
    await RENDERERS[state.view](state, mine);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      token.clear();
      me = undefined;
      identity = undefined;
      $('#signin-error').textContent = 'That token was not accepted (expired or altered). Paste a new one.';
      return render();
    }
    showError(error);
  }
}

$('#signin').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = ($('#token') as HTMLTextAreaElement).value.trim();
  if (!value) return;
  token.set(value);
  $('#signin-error').textContent = '';
  void render();
});
$('#drawer-close').addEventListener('click', () => { $('#drawer').hidden = true; });
addEventListener('keydown', (e) => { if (e.key === 'Escape') $('#drawer').hidden = true; });
addEventListener('hashchange', () => void render());
void render();
