/**
 * The document graph: which source tables feed which search document, and how a changed row
 * maps to the root ids whose documents must be rebuilt. Declarative, so that the stream, the
 * tests and the docs read one list.
 *
 * - `direct`: the root id is a column of the row. Both the old and the new row count, so a
 *   child moved from one parent to another rebuilds both parents (the publication gives
 *   child tables REPLICA IDENTITY FULL, so the old row is complete).
 * - `lookup`: the row's key leads to root ids through a query, run in bounded keyset pages
 *   (a renamed skill touches every document that uses it: thousands, not all at once).
 */
import type { DocumentType } from '../src/search/indices.js';

export interface DirectEdge {
  kind: 'direct';
  table: string;
  document: DocumentType;
  column: string;
}

export interface LookupEdge {
  kind: 'lookup';
  table: string;
  document: DocumentType;
  /** Column of the changed row passed to the query as its first binding (an array of values). */
  column: string;
  /**
   * Returns `root_id` for rows whose key is in the first binding, with root_id > the second,
   * ordered by root_id, at most the third of them (keyset paging).
   */
  sql: string;
}

export type Edge = DirectEdge | LookupEdge;

const lookup = (table: string, document: DocumentType, column: string, from: string, rootColumn: string, keyColumn: string): LookupEdge => ({
  kind: 'lookup', table, document, column,
  sql: `SELECT DISTINCT ${rootColumn} AS root_id FROM ${from} WHERE ${keyColumn} = ANY(?) AND ${rootColumn} > ? ORDER BY ${rootColumn} LIMIT ?`,
});

export const GRAPH: readonly Edge[] = [
  // candidates
  { kind: 'direct', table: 'candidates', document: 'candidates', column: 'id' },
  ...['candidate_skills', 'candidate_experience', 'candidate_education', 'candidate_languages', 'talent_pool_members', 'introduction_requests']
    .map((table): DirectEdge => ({ kind: 'direct', table, document: 'candidates', column: 'candidate_id' })),
  lookup('users', 'candidates', 'id', 'candidates', 'id', 'user_id'),
  ...['consent_records', 'cohort_enrollments', 'program_enrollments'].map((table) => lookup(table, 'candidates', 'user_id', 'candidates', 'id', 'user_id')),
  lookup('skills', 'candidates', 'id', 'candidate_skills', 'candidate_id', 'skill_id'),
  lookup('locations', 'candidates', 'id', 'candidates', 'id', 'location_id'),
  // opportunities
  { kind: 'direct', table: 'opportunities', document: 'opportunities', column: 'id' },
  { kind: 'direct', table: 'opportunity_skills', document: 'opportunities', column: 'opportunity_id' },
  lookup('organizations', 'opportunities', 'id', 'opportunities', 'id', 'organization_id'),
  lookup('locations', 'opportunities', 'id', 'opportunities', 'id', 'location_id'),
  lookup('skills', 'opportunities', 'id', 'opportunity_skills', 'opportunity_id', 'skill_id'),
];

export const EDGES_BY_TABLE: ReadonlyMap<string, readonly Edge[]> = GRAPH.reduce((map, edge) => {
  map.set(edge.table, [...(map.get(edge.table) ?? []), edge]);
  return map;
}, new Map<string, Edge[]>());

/** Tables the indexer listens to; each must be in the publication. */
export const SOURCE_TABLES: readonly string[] = [...EDGES_BY_TABLE.keys()];
