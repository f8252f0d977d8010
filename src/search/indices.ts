/**
 * Index definitions (DESIGN §4), versioned: a change to a mapping bumps its version, which
 * makes the indexer build a new physical index (`candidates_v2_<build>`) by backfill and
 * flip the alias to it. Names are never written in a document: the API reads them from
 * Postgres when the caller may see them (after an accepted introduction).
 */
import type { IndexDefinition } from './backend.js';

export type DocumentType = 'candidates' | 'opportunities';
export const DOCUMENT_TYPES: readonly DocumentType[] = ['candidates', 'opportunities'];

// v2: vectors are indexed but not stored in _source (a 128-float vector was most of every
// stored document, parsed again on every fetch; rankers ask the engine for similarities).
// v3 (candidates): no nested fields; a candidate is one Lucene document instead of ~8.
// v4 (candidates): typo_text, the short fields together, for typo-tolerant matching.
// v5 (candidates), v3 (opportunities): skill_labels without English and French subfields.
// v6 (candidates): experience_band, the experience facet as a term.
// v7 (candidates), v4 (opportunities): the vector graph built with a narrower beam (HNSW).
// v8 (candidates): matching_consent; program_ids without dropped enrolments (documents change,
// so every candidate is written again).
export const MAPPING_VERSIONS: Record<DocumentType, number> = { candidates: 8, opportunities: 4 };

/** Dimension of the embedding the matching encoder produces. */
export const EMBEDDING_DIMENSION = 128;

/**
 * How the vector graph is built, and how widely a k-NN search walks it. The graph is the
 * costliest part of indexing a document: without the vector the engine spends half the CPU per
 * updated candidate. Building with a beam of 50 instead of Lucene's 100 costs ~20% less per
 * write; searching with 400 candidates instead of k (200) gives back the recall the narrower
 * graph loses: 0.994 of the exact top 200 at 106,000 candidates, against 0.993 for the default
 * graph searched with k (README, CDC indexer).
 */
export const HNSW_GRAPH = { m: 16, ef_construction: 50 } as const;
export const KNN_CANDIDATES = 400;

export function aliasName(prefix: string, type: DocumentType): string {
  return `${prefix}${type}`;
}

export function physicalIndexName(prefix: string, type: DocumentType, build: string): string {
  return `${prefix}${type}_v${MAPPING_VERSIONS[type]}_${build}`;
}

/** The mapping version a physical index was built with, from its name. */
export function mappingVersionOf(index: string): number | undefined {
  const match = /_v(\d+)_[a-z0-9]+$/.exec(index);
  return match ? Number(match[1]) : undefined;
}

const text = { type: 'text', analyzer: 'folded', fields: { en: { type: 'text', analyzer: 'english' }, fr: { type: 'text', analyzer: 'french' } } };
// Skill names: matched as written (folded), and through the taxonomy's slugs and synonyms —
// never stemmed. Their English and French subfields (until candidates v5, opportunities v3)
// were analysed on every write and read by no query: 15% of the engine's CPU per candidate
// document (README, CDC indexer).
const skillNames = { type: 'text', analyzer: 'folded' };
const keyword = { type: 'keyword' };
const place = {
  location: { type: 'geo_point' },
  city: keyword,
  region: keyword,
  country: keyword,
};

function settings(vectors: boolean): Record<string, unknown> {
  return {
    number_of_shards: 1,
    number_of_replicas: 0,
    // Near-real-time: a change is searchable within half a second of its write.
    refresh_interval: '500ms',
    // Deletes are versioned too: keep their tombstones long enough that a replayed older
    // write cannot resurrect a deleted document.
    gc_deletes: '1h',
    ...(vectors ? { knn: true } : {}),
    analysis: {
      analyzer: {
        folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
      },
      normalizer: {
        folded_keyword: { type: 'custom', filter: ['lowercase', 'asciifolding'] },
      },
    },
  };
}

function embedding(vectors: boolean): Record<string, unknown> {
  // The k-NN plugin served on Maven has no native engines: HNSW runs inside Lucene.
  return vectors ? { embedding: { type: 'knn_vector', dimension: EMBEDDING_DIMENSION, method: { name: 'hnsw', engine: 'lucene', space_type: 'cosinesimil', parameters: { ...HNSW_GRAPH } } } } : {};
}

function sourceWithoutVectors(vectors: boolean): Record<string, unknown> {
  return vectors ? { _source: { excludes: ['embedding'] } } : {};
}

export function candidateIndex(vectors: boolean): IndexDefinition {
  return {
    settings: settings(vectors),
    mappings: {
      dynamic: 'strict',
      ...sourceWithoutVectors(vectors),
      properties: {
        // The root id again, as a sortable doc-values field (reconciliation pages by it).
        id: keyword,
        candidate_type: keyword,
        category: keyword,
        headline: { ...text, copy_to: 'typo_text' },
        summary: text,
        titles: { ...text, copy_to: 'typo_text' },
        // Skills and languages as the results show them (slug, label, proficiency, years,
        // declared, primary; code, level, native), kept in _source only. Searches use the flat
        // fields below. As nested objects (v2) every skill and language was a hidden Lucene
        // document of its own: 8.4 per candidate, which made indexing ~25% slower and every
        // search pay for a parent filter, for fields no query read.
        skills: { type: 'object', enabled: false },
        skill_slugs: keyword,
        skill_labels: { ...skillNames, copy_to: 'typo_text' },
        // Headline, titles and skill names in one field, where the text query looks for words
        // with typos: one fuzzy expansion per word instead of one per field (a sixth of the
        // engine's time per text search), and the words may sit in different fields, as they
        // may for exact matches. Only matched, never shown: no positions, no length norms.
        // It costs indexing ~10% of the engine's bulk rate (README, CDC indexer).
        typo_text: { type: 'text', analyzer: 'folded', index_options: 'freqs', norms: false },
        languages: { type: 'object', enabled: false },
        language_codes: keyword,
        // "code:LEVEL" for the candidate's level and every CEFR level below it, so "French at
        // least B1" is the single term "fr:B1" (see languageLevelTerms).
        language_levels: keyword,
        education_level: keyword,
        education_rank: { type: 'byte' },
        experience_years: { type: 'integer' },
        // The experience facet's band ("2-4"), counted as a term (see BandFacet).
        experience_band: keyword,
        ...place,
        mobility: keyword,
        willing_to_relocate: { type: 'boolean' },
        salary_min: { type: 'double' },
        salary_max: { type: 'double' },
        salary_currency: keyword,
        notice_period_days: { type: 'integer' },
        open_to_opportunities: { type: 'boolean' },
        verification: keyword,
        visibility: keyword,
        confidential: { type: 'boolean' },
        hidden_from_organization_ids: keyword,
        introduced_organization_ids: keyword,
        // Whether the person consents to matching: recruiters' rankings leave out those who do not.
        matching_consent: { type: 'boolean' },
        program_ids: keyword,
        cohort_ids: keyword,
        talent_pool_ids: keyword,
        completeness: { type: 'integer' },
        preferred_language: keyword,
        last_active_at: { type: 'date' },
        updated_at: { type: 'date' },
        ...embedding(vectors),
      },
    },
  };
}

export function opportunityIndex(vectors: boolean): IndexDefinition {
  return {
    settings: settings(vectors),
    mappings: {
      dynamic: 'strict',
      ...sourceWithoutVectors(vectors),
      properties: {
        id: keyword,
        type: keyword,
        title: text,
        description: text,
        language: keyword,
        organization_id: keyword,
        // Null when the opportunity is confidential: the employer stays hidden.
        organization_name: { type: 'text', analyzer: 'folded', fields: { raw: keyword } },
        sector: keyword,
        seniority: keyword,
        ...place,
        remote_option: keyword,
        salary_min: { type: 'double' },
        salary_max: { type: 'double' },
        salary_currency: keyword,
        contract_type: keyword,
        duration_months: { type: 'integer' },
        required_education: keyword,
        education_rank: { type: 'byte' },
        experience_min_years: { type: 'integer' },
        experience_max_years: { type: 'integer' },
        required_skills: keyword,
        preferred_skills: keyword,
        skill_labels: skillNames,
        eligible_categories: keyword,
        is_for_vulnerable: { type: 'boolean' },
        investment_required: { type: 'double' },
        deadline: { type: 'date' },
        status: keyword,
        published_at: { type: 'date' },
        source: keyword,
        confidential: { type: 'boolean' },
        updated_at: { type: 'date' },
        ...embedding(vectors),
      },
    },
  };
}

export function indexDefinition(type: DocumentType, vectors: boolean): IndexDefinition {
  return type === 'candidates' ? candidateIndex(vectors) : opportunityIndex(vectors);
}

const mappedFields: Partial<Record<DocumentType, readonly string[]>> = {};

/**
 * A request's `_source` that returns exactly `fields` of each hit, written as the mapped
 * fields to leave out. OpenSearch 2.x filters a source by a list of fields to include far more
 * slowly than by a list to exclude: 20 hits cost ~4 ms of the engine's CPU more (of ~28 per
 * recruiter search at a million candidates), for the very same documents (README, search
 * benchmark). Every mapped field not asked for is left out — one added to a mapping later stays
 * out of results until a query asks for it — and a document holds nothing unmapped
 * (`dynamic: 'strict'`).
 */
export function sourceOnly(type: DocumentType, fields: readonly string[]): { excludes: string[] } {
  const all = (mappedFields[type] ??= Object.keys((indexDefinition(type, true).mappings as { properties: Record<string, unknown> }).properties));
  const unknown = fields.filter((field) => !all.includes(field));
  if (unknown.length > 0) throw new Error(`not mapped in ${type}: ${unknown.join(', ')}`);
  return { excludes: all.filter((field) => !fields.includes(field)) };
}
