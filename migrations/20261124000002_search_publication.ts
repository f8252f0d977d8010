/**
 * The publication the CDC indexer streams from (pgoutput): every table that feeds a
 * `candidates` or `opportunities` document. Child tables get REPLICA IDENTITY FULL so that an
 * UPDATE moving a row to another parent, and a DELETE, carry the old parent's id: the indexer
 * must re-derive both the old and the new root document (DESIGN §5).
 *
 * Frozen history: imports only knex.
 */
import type { Knex } from 'knex';

export const PUBLICATION = 'meridian_search';

const ROOTS = ['candidates', 'opportunities'];
const CHILDREN = [
  'candidate_skills', 'candidate_experience', 'candidate_education', 'candidate_certifications',
  'candidate_languages', 'consent_records', 'cohort_enrollments', 'program_enrollments',
  'talent_pool_members', 'introduction_requests', 'opportunity_skills',
];
// Shared rows whose change fans out to every document that uses them.
const SHARED = ['users', 'skills', 'locations', 'organizations', 'data_sources', 'cohorts', 'programs', 'talent_pools'];

export async function up(knex: Knex): Promise<void> {
  for (const table of CHILDREN) await knex.raw('ALTER TABLE ?? REPLICA IDENTITY FULL', [table]);
  const tables = [...ROOTS, ...CHILDREN, ...SHARED];
  await knex.raw(`CREATE PUBLICATION ${PUBLICATION} FOR TABLE ${tables.map(() => '??').join(', ')}`, tables);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP PUBLICATION IF EXISTS ${PUBLICATION}`);
  for (const table of CHILDREN) await knex.raw('ALTER TABLE ?? REPLICA IDENTITY DEFAULT', [table]);
}
