/**
 * Two-stage ranking (DESIGN §6). Stage one retrieves a few hundred from the engine under the
 * hard filters (for a beneficiary: published, open, eligible, within reach unless remote; for
 * a recruiter: the same privacy clauses as search), by BM25 over the other side's text and
 * skills, and by k-NN on the encoder's vectors where the index has them. Stage two reranks
 * the union on the features of features.ts, applies the remaining hard constraint
 * (mandatory education), and writes chips.
 */
import type { Knex } from 'knex';
import type { SearchBackend } from '../search/backend.js';
import { loadDocuments } from '../db/documents.js';
import { aliasName, sourceOnly } from '../search/indices.js';
import { openAndEligibleClauses, type OpportunityViewer } from '../search/opportunity-query.js';
import { privacyClauses, type CandidateViewer } from '../search/candidate-query.js';
import { withoutStopWords } from '../search/stopwords.js';
import { chipsFor, type Chip, type Language } from '../domain/chips.js';
import { EDUCATION_RANK } from '../domain/ranks.js';
import type { Encoder } from './encoder.js';
import { candidateText, opportunityText } from './document-text.js';
import { educatedFor } from './hard-constraints.js';
import { features, HAND_SET_WEIGHTS, matchFacts, MOBILITY_KM, reachKm, scoreOf, type Features, type SkillLabel } from './features.js';

export const RETRIEVE = 200;

export interface RankDeps {
  search: SearchBackend;
  indexPrefix: string;
  encoder?: Encoder;
  /** slug → label, for chips. */
  skillLabels: SkillLabel;
  now: () => Date;
  weights?: Features;
  /**
   * Sees each retrieval leg's ids, best first, before the rerank: how the O*NET evaluation
   * measures the BM25-only and vector-only baselines and retrieval recall on the very
   * requests the ranker sends.
   */
  observe?: (legs: { text: string[]; vector: string[] }) => void;
  /**
   * Told when the vector leg fails. Ranking goes on with the text leg alone (a recommendation
   * is still worth serving), but the failure must be seen: a k-NN search the engine refuses
   * would otherwise quietly halve every ranking.
   */
  vectorLegFailed?: (error: unknown) => void;
}

export interface Ranked {
  id: string;
  score: number;
  features: Features;
  chips: Chip[];
  source: Record<string, any>;
}

type Doc = Record<string, any>;

const vectorOf = (doc: Doc, encoder: Encoder | undefined, text: string): Float32Array | undefined =>
  Array.isArray(doc.embedding) ? Float32Array.from(doc.embedding as number[]) : encoder ? encoder.embedOne(text) : undefined;

interface Retrieved {
  source: Doc;
  /** The engine's text score divided by the best in the retrieved set (0: found by vector only). */
  textScore: number;
  /** Cosine similarity of the two sides' vectors, when the index holds vectors. */
  similarity?: number;
}

async function retrieve(deps: RankDeps, index: string, filter: Record<string, unknown>[], mustNot: Record<string, unknown>[], should: Record<string, unknown>[], vector: Float32Array | undefined, source: { excludes: string[] }): Promise<Map<string, Retrieved>> {
  const vectors = vector !== undefined && (await deps.search.supportsVectors());
  // No total count: it would make the engine score every match instead of skipping the
  // blocks that cannot reach the top (block-max WAND).
  const textual = deps.search.search(index, { size: RETRIEVE, _source: source, track_total_hits: false, query: { bool: { filter, must_not: mustNot, should, minimum_should_match: should.length ? 1 : 0 } } });
  // The vector leg, filtered by the same hard clauses inside the k-NN search (Lucene filters
  // while it walks the graph, so a narrow filter still yields k results).
  const semantic = vectors
    ? deps.search.nearest(index, { field: 'embedding', vector: Array.from(vector), k: RETRIEVE, filter: { bool: { filter, must_not: mustNot } }, _source: source }).catch((error: unknown) => {
      deps.vectorLegFailed?.(error);
      return undefined;
    })
    : Promise.resolve(undefined);
  const [text, knn] = await Promise.all([textual, semantic]);
  deps.observe?.({ text: text.hits.map((h) => h.id), vector: knn?.hits.map((h) => h.id) ?? [] });
  const best = Math.max(1e-9, ...text.hits.map((h) => h.score ?? 0));
  const byId = new Map<string, Retrieved>();
  for (const hit of text.hits) byId.set(hit.id, { source: hit.source, textScore: (hit.score ?? 0) / best });
  for (const hit of knn?.hits ?? []) {
    // Lucene scores a cosine k-NN hit (1 + cosine) / 2.
    const similarity = 2 * (hit.score ?? 0.5) - 1;
    const seen = byId.get(hit.id);
    if (seen) seen.similarity = similarity;
    else byId.set(hit.id, { source: hit.source, textScore: 0, similarity });
  }
  // Vectors are not in _source (they were most of every fetched document): the text leg's
  // hits that the vector leg did not return get their similarity from the engine, exactly.
  const missing = [...byId].filter(([, r]) => r.similarity === undefined).map(([id]) => id);
  if (vectors && knn && missing.length) {
    const exact = await deps.search.similarities(index, missing, Array.from(vector)).catch(() => new Map<string, number>());
    for (const [id, similarity] of exact) byId.get(id)!.similarity = similarity;
  }
  return byId;
}

/** Best first, ties by id; chips are written only for the items served. */
function topWithChips<T extends { id: string; score: number }>(scored: T[], size: number, chips: (item: T) => Chip[]): Array<T & { chips: Chip[] }> {
  return scored.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, size).map((item) => ({ ...item, chips: chips(item) }));
}

/** The opportunity fields the ranker reads and a beneficiary is shown. */
const OPPORTUNITY_FIELDS = ['id', 'type', 'title', 'organization_id', 'organization_name', 'sector', 'city', 'region', 'country', 'location', 'remote_option', 'salary_min', 'salary_max', 'salary_currency', 'required_education', 'experience_min_years', 'experience_max_years', 'required_skills', 'preferred_skills', 'eligible_categories', 'is_for_vulnerable', 'deadline', 'published_at', 'language'];

/** Exact coordinates are not shown (the city is). */
function shownOpportunity(id: string, source: Doc): Doc {
  const { location: _location, ...shown } = source;
  return { ...shown, id };
}

/**
 * The shown fields of opportunities by id, as a ranked item carries them (for a stored
 * recommendation served again); ids not in the index are left out.
 */
export async function opportunitiesShown(deps: Pick<RankDeps, 'search' | 'indexPrefix'>, ids: readonly string[]): Promise<Map<string, Doc>> {
  if (ids.length === 0) return new Map();
  const found = await deps.search.search(aliasName(deps.indexPrefix, 'opportunities'), { size: ids.length, _source: sourceOnly('opportunities', OPPORTUNITY_FIELDS), track_total_hits: false, query: { ids: { values: ids } } });
  return new Map(found.hits.map((hit) => [hit.id, shownOpportunity(hit.id, hit.source)]));
}

/**
 * The same fields built from Postgres (the documents the indexer writes), for when the engine
 * cannot answer: a stored set is validated in Postgres, so it can still be served.
 */
export async function opportunitiesShownFromPostgres(db: Knex, ids: readonly string[]): Promise<Map<string, Doc>> {
  const shown = new Map<string, Doc>();
  for (const { id, searchable, document } of await loadDocuments(db, 'opportunities', ids)) {
    if (!searchable || !document.id) continue;
    shown.set(id, shownOpportunity(id, Object.fromEntries(OPPORTUNITY_FIELDS.filter((field) => field in document).map((field) => [field, document[field]]))));
  }
  return shown;
}

/** Opportunities for a beneficiary (their candidate document), best first; `exclude` ids are never offered. */
export async function rankOpportunities(deps: RankDeps, candidate: Doc, viewer: OpportunityViewer, options: { types?: string[]; size: number; language: Language; exclude?: string[] }): Promise<Ranked[]> {
  const scope = openAndEligibleClauses(viewer, deps.now());
  const filter = [...scope.filter];
  if (options.types?.length) filter.push({ terms: { type: options.types } });
  // Within reach unless remote.
  const reach = reachKm(candidate.mobility);
  if (candidate.location && reach !== null) filter.push({ bool: { should: [{ term: { remote_option: 'remote' } }, { geo_distance: { distance: `${reach}km`, location: candidate.location } }], minimum_should_match: 1 } });
  const held = candidate.education_level ? EDUCATION_RANK[candidate.education_level] ?? null : null;
  // Mandatory education in the query as well as after it, so the retrieval budget is not spent
  // on opportunities the rerank would drop.
  if (held !== null) filter.push({ bool: { should: [{ bool: { must_not: { exists: { field: 'education_rank' } } } }, { range: { education_rank: { lte: held } } }], minimum_should_match: 1 } });
  const skills = ((candidate.skills ?? []) as Array<{ slug: string }>).map((s) => s.slug);
  const text = candidateText(candidate);
  const should = [
    { multi_match: { query: withoutStopWords(text.slice(0, 500)), fields: ['title^2', 'skill_labels', 'description'] } },
    ...(skills.length ? [{ terms: { required_skills: skills, boost: 2 } }, { terms: { preferred_skills: skills } }] : []),
  ];
  const vector = vectorOf(candidate, deps.encoder, text);
  // What the person dismissed is not offered again.
  const mustNot = options.exclude?.length ? [...scope.mustNot, { ids: { values: options.exclude } }] : scope.mustNot;
  const retrieved = await retrieve(deps, aliasName(deps.indexPrefix, 'opportunities'), filter, mustNot, should, vector, sourceOnly('opportunities', OPPORTUNITY_FIELDS));
  const scored = [];
  for (const [id, { source, textScore, similarity }] of retrieved) {
    // Mandatory education: an opportunity asking for more than the person has is not offered.
    if (!educatedFor(candidate, source)) continue;
    const input = { candidate, opportunity: source, candidateVector: vector, similarity, textScore, now: deps.now() };
    const values = features(input, deps.skillLabels);
    scored.push({ id, score: scoreOf(values, deps.weights), features: values, input, source: shownOpportunity(id, source) });
  }
  return topWithChips(scored, options.size, (item) => chipsFor(matchFacts(item.input, deps.skillLabels, item.score, 'beneficiary', options.language, deps.weights ?? HAND_SET_WEIGHTS)))
    .map(({ input: _input, ...item }) => item);
}

/**
 * The hard constraints on a person for an opportunity, as engine filters: eligible by category
 * (a category may make someone eligible; it is never shown to the recruiter), the mandatory
 * education, and within the person's reach (their mobility) unless the work is remote. People
 * whose education, location or mobility is unknown are not excluded for it.
 */
function candidateConstraints(opportunity: Doc): Record<string, unknown>[] {
  const clauses: Record<string, unknown>[] = [];
  const missing = (field: string) => ({ bool: { must_not: { exists: { field } } } });
  const eligible = (opportunity.eligible_categories ?? []) as string[];
  if (eligible.length) clauses.push({ terms: { category: eligible } });
  else if (opportunity.is_for_vulnerable === true) clauses.push({ exists: { field: 'category' } });
  const required = opportunity.required_education ? EDUCATION_RANK[opportunity.required_education] ?? null : null;
  if (required !== null) clauses.push({ bool: { should: [missing('education_rank'), { range: { education_rank: { gte: required } } }], minimum_should_match: 1 } });
  if (opportunity.remote_option !== 'remote' && opportunity.location) {
    const within = (km: number) => ({ geo_distance: { distance: `${km}km`, location: opportunity.location } });
    const reach = Object.entries(MOBILITY_KM).map(([mobility, km]) => (km === null ? { term: { mobility } } : { bool: { filter: [{ term: { mobility } }, within(km)] } }));
    clauses.push({ bool: { should: [missing('location'), ...reach, { bool: { filter: [missing('mobility'), within(reachKm(undefined)!)] } }], minimum_should_match: 1 } });
  }
  return clauses;
}

/** Candidates for an opportunity, for a recruiter, under the privacy rules of search and the hard constraints. */
export async function rankCandidates(deps: RankDeps, opportunity: Doc, viewer: CandidateViewer, options: { size: number; language: Language }): Promise<Ranked[]> {
  const privacy = privacyClauses(viewer);
  // Searchable is not matchable: ranking people for a job is matching, which needs its own consent.
  const filter = [...privacy.filter, { term: { matching_consent: true } }, ...candidateConstraints(opportunity)];
  const required = (opportunity.required_skills ?? []) as string[];
  const text = opportunityText(opportunity);
  const should = [
    { multi_match: { query: withoutStopWords(text.slice(0, 500)), fields: ['headline^2', 'titles^2', 'skill_labels', 'summary'] } },
    ...(required.length ? [{ terms: { skill_slugs: required, boost: 2 } }] : []),
  ];
  const vector = vectorOf(opportunity, deps.encoder, text);
  const retrieved = await retrieve(deps, aliasName(deps.indexPrefix, 'candidates'), filter, privacy.mustNot, should, vector, sourceOnly('candidates',
    ['id', 'candidate_type', 'headline', 'titles', 'skills', 'languages', 'education_level', 'experience_years', 'city', 'region', 'country', 'location', 'mobility', 'salary_min', 'salary_currency', 'notice_period_days', 'open_to_opportunities', 'verification', 'last_active_at', 'introduced_organization_ids']));
  const scored = [];
  for (const [id, { source, textScore, similarity }] of retrieved) {
    const input = { candidate: source, opportunity, opportunityVector: vector, similarity, textScore, now: deps.now() };
    const values = features(input, deps.skillLabels);
    // Recruiters never see a category, exact coordinates or the list of introduced organisations.
    const { location: _location, introduced_organization_ids: _introduced, ...shown } = source;
    scored.push({ id, score: scoreOf(values, deps.weights), features: values, input, source: { ...shown, id, introduced: (source.introduced_organization_ids ?? []) as string[] } });
  }
  return topWithChips(scored, options.size, (item) => chipsFor(matchFacts(item.input, deps.skillLabels, item.score, 'recruiter', options.language, deps.weights ?? HAND_SET_WEIGHTS)))
    .map(({ input: _input, ...item }) => item);
}

/**
 * One candidate and one opportunity scored on their own (an application): no retrieval set
 * to compare the text score against, so the text feature is left out of the weighting.
 */
export function scorePair(deps: Pick<RankDeps, 'encoder' | 'skillLabels' | 'now' | 'weights'>, candidate: Doc, opportunity: Doc, language: Language): { score: number; features: Features; chips: Chip[] } {
  const candidateVector = vectorOf(candidate, deps.encoder, candidateText(candidate));
  const opportunityVector = Array.isArray(opportunity.embedding) ? Float32Array.from(opportunity.embedding as number[]) : deps.encoder?.embedOne(opportunityText(opportunity));
  const input = { candidate, opportunity, candidateVector, opportunityVector, textScore: 0, now: deps.now() };
  const weights = { ...(deps.weights ?? HAND_SET_WEIGHTS), text: 0 };
  const values = features(input, deps.skillLabels);
  const score = scoreOf(values, weights);
  return { score, features: values, chips: chipsFor(matchFacts(input, deps.skillLabels, score, 'beneficiary', language, weights)) };
}
