/**
 * The shape every search request takes, for candidates and opportunities alike: privacy and
 * other fixed clauses in the query, filters that own a facet in a post_filter, and one
 * filtered aggregation per facet that applies every active filter but its own — so facet
 * counts are disjunctive (DESIGN §4) while the hits honour every filter. A search without
 * text asks the same question as several requests instead (see facetedRequests).
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors.js';
import type { SearchBackend, SearchResponse } from './backend.js';
import type { Band } from '../domain/ranks.js';

export type Clause = Record<string, unknown>;

export interface TermsFacet {
  kind: 'terms';
  field: string;
  size: number;
}

/**
 * A number counted in bands, every band shown in order (zero counts too). The indexer writes
 * each document's band key into `field` (a keyword), so the engine counts terms instead of
 * testing ranges: the range aggregation cost ~16 ms over 385,000 hits, the band's terms ~3 ms
 * over 316,000 (README, search benchmark).
 */
export interface BandFacet {
  kind: 'bands';
  field: string;
  bands: readonly Band[];
}

export type FacetSpec = TermsFacet | BandFacet;

export interface FacetedQuery {
  /** Clauses every hit and every facet count obey (privacy, scoping, non-facet filters). */
  filter: Clause[];
  mustNot: Clause[];
  /** Scored text clause, if there is text. */
  text?: Clause;
  /** Active filters keyed by the facet they belong to. */
  facetFilters: Record<string, Clause[]>;
  facets: Record<string, FacetSpec>;
  sort: Clause[];
  size: number;
  searchAfter?: unknown[];
  highlight?: Clause;
  /** The request's `_source`: what each hit returns (see sourceOnly). */
  source?: Clause;
}

/** Clause builders shared by the candidate and opportunity query builders. */
export const terms = (field: string, values: readonly string[]): Clause => ({ terms: { [field]: values } });
export const term = (field: string, value: unknown): Clause => ({ term: { [field]: value } });
export const range = (field: string, bounds: Record<string, unknown>): Clause => ({ range: { [field]: bounds } });
export const anyOf = (clauses: Clause[]): Clause => ({ bool: { should: clauses, minimum_should_match: 1 } });
export const missing = (field: string): Clause => ({ bool: { must_not: [{ exists: { field } }] } });

/** Words in a text, split roughly as the engine's standard tokenizer splits them. */
export const wordCount = (text: string): number => text.split(/[^\p{L}\p{N}]+/u).filter(Boolean).length;

/**
 * Every word of `q` somewhere in `fields` (the words may sit in different fields of one
 * analyser), and for more than one word the exact phrase as a boost inside it. A phrase in a
 * field holds every word in that field, so the phrase finds no document the every-word clause
 * does not: nested, its per-field approximations are advanced only for the documents the
 * every-word clause found, not for every document of the text clause's disjunction. At a
 * million candidates: 8% less engine CPU per text search, the same hits in the same order and
 * the same totals for all 317 text searches of the bench mix (scores differ by float rounding,
 * 1.6e-7 at most; README, search benchmark). A phrase of one word is that word: no phrase then.
 */
export function everyWordClause(q: string, fields: readonly string[]): Clause {
  const everyWord = { multi_match: { query: q, fields, type: 'cross_fields', operator: 'and' } };
  if (wordCount(q) < 2) return everyWord;
  return { bool: { must: [everyWord], should: [{ multi_match: { query: q, fields, type: 'phrase', boost: 2 } }] } };
}

const and = (clauses: Clause[]): Clause => ({ bool: { filter: clauses } });

function valuesAgg(spec: FacetSpec): Record<string, unknown> {
  return spec.kind === 'terms'
    // Count order, then value: the same total order the SQL oracle uses.
    ? { terms: { field: spec.field, size: spec.size, order: [{ _count: 'desc' }, { _key: 'asc' }] } }
    : { terms: { field: spec.field, size: spec.bands.length } };
}

/**
 * Facets whose own filter is not active all count under the same filter (every active
 * filter), so they share one filter aggregation; each facet with an active filter of its
 * own gets one that leaves it out. A search with one active facet filter and eight facets
 * evaluates two filters, not eight.
 */
export function facetedBody(query: FacetedQuery): Record<string, unknown> {
  const owned = Object.entries(query.facetFilters).filter(([, clauses]) => clauses.length > 0);
  const allOwned = owned.flatMap(([, clauses]) => clauses);
  const aggs: Record<string, { filter: Clause; aggs: Record<string, unknown> }> = {};
  for (const [name, spec] of Object.entries(query.facets)) {
    const ownActive = owned.some(([facet]) => facet === name);
    const group = ownActive ? `facet_${name}` : 'facets';
    aggs[group] ??= { filter: and(ownActive ? owned.filter(([facet]) => facet !== name).flatMap(([, clauses]) => clauses) : allOwned), aggs: {} };
    aggs[group]!.aggs[name] = valuesAgg(spec);
  }
  return {
    size: query.size,
    track_total_hits: true,
    query: { bool: { filter: query.filter, must_not: query.mustNot, ...(query.text ? { must: [query.text] } : {}) } },
    ...(allOwned.length > 0 ? { post_filter: and(allOwned) } : {}),
    aggs,
    sort: query.sort,
    ...(query.searchAfter ? { search_after: query.searchAfter } : {}),
    ...(query.highlight ? { highlight: query.highlight } : {}),
    ...(query.source ? { _source: query.source } : {}),
  };
}

/**
 * The engine requests for a faceted search, sent together (`multiSearch`): the first returns
 * the hits and the facets it can count, any others count one facet each.
 *
 * With text, one request (`facetedBody`): the text clause is the expensive part and runs once.
 * Without text, the hits' query takes every filter and each facet whose own filter is active
 * gets a size-0 request with every other filter. One request would count those facets in
 * filter aggregations over everything the fixed filters let through — the whole visible index
 * for most searches without text — and its engine time went into exactly that: 46 ms of CPU
 * per search against 14 without facets, at a million candidates. Split, the engine takes a
 * fifth less CPU for the same answers (88 bench searches without text, every hit and count
 * compared); with text, splitting cost 75% more, since each request runs the text query again.
 */
export function facetedRequests(query: FacetedQuery): Array<Record<string, unknown>> {
  const owned = Object.entries(query.facetFilters).filter(([, clauses]) => clauses.length > 0);
  if (query.text || owned.length === 0) return [facetedBody(query)];
  const allOwned = owned.flatMap(([, clauses]) => clauses);
  const ownsFilter = (name: string) => owned.some(([facet]) => facet === name);
  const page = {
    ...facetedBody({ ...query, filter: [...query.filter, ...allOwned], facetFilters: {}, facets: {} }),
    aggs: Object.fromEntries(Object.entries(query.facets).filter(([name]) => !ownsFilter(name)).map(([name, spec]) => [name, valuesAgg(spec)])),
  };
  const counts = Object.entries(query.facets).filter(([name]) => ownsFilter(name)).map(([name, spec]) => ({
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [...query.filter, ...owned.filter(([facet]) => facet !== name).flatMap(([, clauses]) => clauses)], must_not: query.mustNot } },
    aggs: { [name]: valuesAgg(spec) },
  }));
  return [page, ...counts];
}

/** Runs `facetedRequests` and answers as one search: the first response, with every request's facet counts. */
export async function searchFaceted(backend: Pick<SearchBackend, 'multiSearch'>, index: string, requests: ReadonlyArray<Record<string, unknown>>): Promise<SearchResponse> {
  const [page, ...counts] = await backend.multiSearch(index, requests);
  if (counts.length === 0) return page!;
  return {
    ...page!,
    aggregations: Object.assign({}, page!.aggregations, ...counts.map((response) => response.aggregations)),
    // They ran side by side: the slowest is how long the engine took.
    tookMs: Math.max(page!.tookMs, ...counts.map((response) => response.tookMs)),
  };
}

/** The facets a request asked for (all of them when it named none). */
export function selectFacets(all: Record<string, FacetSpec>, wanted?: readonly string[]): Record<string, FacetSpec> {
  return Object.fromEntries(Object.entries(all).filter(([name]) => !wanted || wanted.includes(name)));
}

export interface FacetBucket {
  value: string;
  count: number;
}

/** Reads the per-facet aggregations back into `{facet: [{value, count}]}`. */
export function readFacets(aggregations: Record<string, unknown> | undefined, facets: Record<string, FacetSpec>): Record<string, FacetBucket[]> {
  const out: Record<string, FacetBucket[]> = {};
  type Buckets = { buckets?: Array<{ key: string | number; key_as_string?: string; doc_count: number }> };
  for (const name of Object.keys(facets)) {
    // Grouped under filter aggregations (one request), or at the top (split requests).
    const group = (aggregations?.[`facet_${name}`] ?? aggregations?.facets) as Record<string, Buckets> | undefined;
    const buckets = ((group?.[name] ?? (aggregations?.[name] as Buckets | undefined))?.buckets ?? [])
      .map((b) => ({ value: b.key_as_string ?? String(b.key), count: b.doc_count }));
    const spec = facets[name]!;
    out[name] = spec.kind === 'bands'
      ? spec.bands.map(({ key }) => ({ value: key, count: buckets.find((b) => b.value === key)?.count ?? 0 }))
      : buckets;
  }
  return out;
}

/**
 * Cursors are opaque to callers: the sort values of the last hit plus a fingerprint of the
 * question, so a cursor replayed against a different question is refused instead of
 * silently paging through the wrong results.
 */
export function fingerprint(question: unknown): string {
  return createHash('sha256').update(JSON.stringify(question)).digest('base64url').slice(0, 12);
}

export function encodeCursor(sortValues: unknown[], questionFingerprint: string): string {
  return Buffer.from(JSON.stringify({ a: sortValues, f: questionFingerprint })).toString('base64url');
}

export function decodeCursor(cursor: string, questionFingerprint: string): unknown[] {
  let parsed: { a?: unknown; f?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { a?: unknown; f?: unknown };
  } catch {
    throw new ValidationError('The cursor is not one this API issued', { param: 'cursor' }, 'cursor_invalid');
  }
  // Sort values are strings (ids, and ±Infinity for a missing distance or number) or finite
  // numbers: the sorts leave nothing null (undated documents get explicit dates).
  if (!parsed || !Array.isArray(parsed.a) || parsed.a.some((v) => typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v)))) {
    throw new ValidationError('The cursor is not one this API issued', { param: 'cursor' }, 'cursor_invalid');
  }
  if (parsed.f !== questionFingerprint) {
    throw new ValidationError('The cursor belongs to a different search; start again without it', { param: 'cursor' }, 'cursor_mismatch');
  }
  return parsed.a;
}

/**
 * A date sort with undated documents last. Not `missing: '_last'`: the engine stands in
 * Long.MIN_VALUE or Long.MAX_VALUE for them, which a JSON number cannot hold exactly, so the
 * cursor after an undated hit came back as a value the engine refused to parse as a date
 * (a 503 halfway through the pages). The first and last instants of years 1 and 9999 sort
 * the same way and round-trip exactly.
 */
export function dateSortMissingLast(field: string, order: 'asc' | 'desc'): Clause {
  return { [field]: { order, missing: order === 'desc' ? EARLIEST_MS : LATEST_MS } };
}
/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z. */
const EARLIEST_MS = -62135596800000;
const LATEST_MS = 253402300799999;

export const HIGHLIGHT_TAGS = { pre_tags: ['<em>'], post_tags: ['</em>'] };

/** The typo tolerance of the text queries: one edit for short words, two for long ones, first letter exact. */
export const TYPOS = { fuzziness: 'AUTO', prefix_length: 1, max_expansions: 10 } as const;

/**
 * Highlights for the words of `q`: exact words in every field, and words with typos in
 * `fuzzyFields` (the short ones: fuzzy highlighting of long text cost as much as the search,
 * since highlighting re-runs its query on every returned document). Each field carries its
 * own highlight query: one query over all fields gave the very same answers (400 bench
 * requests, 5,399 hits compared) for ~10% more engine time per search at a million candidates.
 */
export function highlightFor(q: string, fields: Record<string, Clause>, fuzzyFields: readonly string[]): Clause {
  return {
    ...HIGHLIGHT_TAGS,
    fields: Object.fromEntries(Object.entries(fields).map(([field, options]) => [field, {
      ...options,
      highlight_query: fuzzyFields.includes(field)
        ? anyOf([{ match: { [field]: q } }, { match: { [field]: { query: q, ...TYPOS } } }])
        : { match: { [field]: q } },
    }])),
  };
}
