/**
 * What the ranker learns from: every `recommendations` row as a graded example — how far the
 * person took it through the lifecycle — with the rerank features of its (candidate,
 * opportunity) pair recomputed from today's documents.
 *
 * Grades (higher = better), one scale for every list:
 *   0  dismissed, or feedback of 1–2 stars (an explicit "not for me" outranks any click)
 *   1  generated and never viewed (shown in a list, not taken up: weak evidence, not negative)
 *   2  viewed, or abandoned (clicked, then left without applying)
 *   3  clicked
 *   4  applied
 *   +1 for feedback of 4–5 stars (3 stars is neutral)
 * A person's recommendations form one list: only differences within a list are compared, so
 * how active a person is overall does not leak into the weights.
 *
 * Features are those of features.ts with the clock at the row's generated_at (freshness as
 * the person saw it). The text score is relative to a retrieval set that is not stored, so it
 * is 0 here and its weight is never learned; similarity needs the active encoder (0 without).
 * Rows whose candidate or opportunity no longer exists are left out.
 */
import type { Knex } from 'knex';
import { loadDocuments } from '../db/documents.js';
import type { Encoder } from './encoder.js';
import { candidateText, opportunityText } from './document-text.js';
import { features, type Features } from './features.js';

export interface LifecycleRow {
  status: string;
  feedback_rating: number | null;
}

export function gradeOf(row: LifecycleRow): number {
  const rating = row.feedback_rating;
  if (row.status === 'dismissed' || (rating !== null && rating <= 2)) return 0;
  const base = row.status === 'applied' ? 4 : row.status === 'clicked' ? 3 : row.status === 'viewed' || row.status === 'abandoned' ? 2 : 1;
  return base + (rating !== null && rating >= 4 ? 1 : 0);
}

/** A row that says something about the person's choice (anything past "generated"). */
export const IS_EVENT_SQL = `(status <> 'generated' OR feedback_rating IS NOT NULL)`;

export interface LifecycleExample {
  id: string;
  candidateId: string;
  opportunityId: string;
  grade: number;
  features: Features;
}

export interface LifecycleData {
  examples: LifecycleExample[];
  /** Rows with an event (viewed, clicked, applied, dismissed, abandoned, feedback). */
  events: number;
  /** Rows left out because their candidate or opportunity is gone. */
  unreconstructable: number;
}

const BATCH = 500;

export async function lifecycleExamples(db: Knex, options: { encoder?: Encoder; limit?: number } = {}): Promise<LifecycleData> {
  const rows = await db('recommendations').select('id', 'candidate_id', 'opportunity_id', 'status', 'feedback_rating', 'generated_at')
    .orderBy([{ column: 'candidate_id' }, { column: 'generated_at' }, { column: 'id' }]).limit(options.limit ?? 500_000);
  const docs = { candidates: new Map<string, Record<string, any>>(), opportunities: new Map<string, Record<string, any>>() };
  for (const [type, column] of [['candidates', 'candidate_id'], ['opportunities', 'opportunity_id']] as const) {
    const ids = [...new Set(rows.map((r) => r[column] as string))];
    for (let i = 0; i < ids.length; i += BATCH) {
      for (const doc of await loadDocuments(db, type, ids.slice(i, i + BATCH))) if (doc.document.id) docs[type].set(doc.id, doc.document);
    }
  }
  const vectors = new Map<string, Float32Array>();
  const vectorOf = (key: string, text: () => string) => {
    if (!options.encoder) return undefined;
    let v = vectors.get(key);
    if (!v) vectors.set(key, (v = options.encoder.embedOne(text())));
    return v;
  };
  const examples: LifecycleExample[] = [];
  let events = 0;
  let unreconstructable = 0;
  for (const row of rows) {
    const candidate = docs.candidates.get(row.candidate_id);
    const opportunity = docs.opportunities.get(row.opportunity_id);
    if (!candidate || !opportunity) {
      unreconstructable++;
      continue;
    }
    if (row.status !== 'generated' || row.feedback_rating !== null) events++;
    const values = features({
      candidate, opportunity, textScore: 0, now: new Date(row.generated_at),
      candidateVector: vectorOf(`c:${row.candidate_id}`, () => candidateText(candidate)),
      opportunityVector: vectorOf(`o:${row.opportunity_id}`, () => opportunityText(opportunity)),
    }, () => undefined);
    examples.push({ id: row.id, candidateId: row.candidate_id, opportunityId: row.opportunity_id, grade: gradeOf(row), features: values });
  }
  return { examples, events, unreconstructable };
}
