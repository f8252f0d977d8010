/**
 * The demo data generator: deterministic (same seed and as-of date → same rows), covering
 * the five seed systems, and streamed: rows are produced in batches into COPY buffers and
 * handed to a sink, so memory does not grow with the number of candidates.
 *
 * Rows refer to each other through stable ids (`stableUuid(seed, kind, index)`) and through
 * pure functions of an index (`candidateProfile(i)`, `opportunityOrg(j)`), never through
 * tables kept in memory.
 */
import { createHash } from 'node:crypto';
import type { TableBuffer } from '../copy.js';
import { BATCH_CANDIDATES, DemoWorld, iso, type DemoOptions, type DemoPlan, type DemoProgress } from './world.js';
import { generateReference } from './phases/reference.js';
import { generateOrganizations } from './phases/organizations.js';
import { generateOpportunities } from './phases/opportunities.js';
import { candidateTables, generateCandidate } from './phases/candidates.js';
import { generateTrainingAndCohorts } from './phases/cohorts.js';
import { generateCsr } from './phases/csr.js';
import { generateActivity } from './phases/activity.js';

export { planDemo, type DemoOptions, type DemoPlan, type DemoProgress } from './world.js';

/** The rows of one table in one batch, as COPY text. */
export interface CopyBatch {
  table: string;
  columns: readonly string[];
  text: string[];
  rows: number;
}

/** Receives batches in an order that respects foreign keys (parents first). */
export interface DemoSink {
  write(batches: CopyBatch[]): Promise<void>;
}


/** Tables whose created_at / updated_at default to now(): the generator supplies them. */
const BOTH = ['created_at', 'updated_at'];
const AUTO_STAMPED: Record<string, string[]> = Object.fromEntries([
  ...['buddy_matches', 'candidate_certifications', 'candidate_education', 'candidate_experience', 'candidate_languages', 'candidate_references',
    'candidate_skills', 'company_subscriptions', 'data_sources', 'industries', 'investments', 'learning_progress', 'notification_preferences',
    'opportunity_skills', 'permissions', 'program_enrollments', 'programs', 'referrals', 'roles', 'saved_searches', 'sessions', 'skills',
    'sroi_value_map_outcomes', 'sroi_value_maps', 'subscription_plans', 'training_programs'].map((t) => [t, BOTH]),
  ...['buddy_checkins', 'buddy_events', 'buddy_feedback', 'evidence_snippets', 'external_id_mappings', 'role_permissions', 'training_program_skills', 'user_roles'].map((t) => [t, ['created_at']]),
]);

// ---------------------------------------------------------------- the generator
export async function generateDemo(options: DemoOptions, sink: DemoSink, onProgress?: (progress: DemoProgress) => void): Promise<{ plan: DemoPlan; rows: number; checksum: string }> {
  const world = new DemoWorld(options);
  const hash = createHash('sha256');
  let rows = 0;
  let candidatesDone = 0;
  let phase = 'reference';
  // Bookkeeping timestamps the generator does not choose row by row are the as-of instant,
  // never the load's now(): the same seed must give the same bytes on any day.
  const stamp = '\t' + iso(world.now);
  const emit = async (buffers: Record<string, TableBuffer>) => {
    const batches: CopyBatch[] = [];
    for (const buffer of Object.values(buffers)) {
      const drained = buffer.drain();
      let text = drained.text;
      const count = drained.rows;
      if (count === 0) continue;
      let columns = buffer.columns;
      const auto = (AUTO_STAMPED[buffer.table] ?? []).filter((c) => !columns.includes(c));
      if (auto.length > 0) {
        // Raw newlines only end rows (COPY text escapes the ones inside values).
        const suffix = stamp.repeat(auto.length) + '\n';
        text = text.map((chunk) => chunk.replaceAll('\n', suffix));
        columns = [...columns, ...auto];
      }
      rows += count;
      // The checksum covers exactly the text that is copied, in order.
      hash.update(buffer.table);
      for (const chunk of text) hash.update(chunk);
      batches.push({ table: buffer.table, columns, text, rows: count });
    }
    await sink.write(batches);
    onProgress?.({ phase, candidatesDone, candidatesTotal: world.plan.candidates, rows });
  };

  await emit(generateReference(world));
  phase = 'organizations';
  await emit(generateOrganizations(world));
  phase = 'opportunities';
  for (let start = 0; start < world.plan.opportunities; start += 5_000) {
    await emit(generateOpportunities(world, start, Math.min(world.plan.opportunities, start + 5_000)));
  }
  phase = 'candidates';
  for (let start = 0; start < world.plan.candidates; start += BATCH_CANDIDATES) {
    const end = Math.min(world.plan.candidates, start + BATCH_CANDIDATES);
    const buffers = candidateTables();
    for (let i = start; i < end; i++) generateCandidate(world, i, buffers);
    candidatesDone = end;
    await emit(buffers);
  }
  phase = 'training and cohorts';
  await emit(generateTrainingAndCohorts(world));
  phase = 'csr programmes';
  for (const buffers of generateCsr(world)) await emit(buffers);
  phase = 'activity';
  for (const buffers of generateActivity(world)) await emit(buffers);
  return { plan: world.plan, rows, checksum: hash.digest('hex') };
}
