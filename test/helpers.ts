import type { Knex } from 'knex';

/** Runs `fn` in a transaction that is always rolled back, so tests leave no rows behind. */
export async function inRolledBackTransaction<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  const trx = await db.transaction();
  try {
    return await fn(trx);
  } finally {
    await trx.rollback();
  }
}

/** The Postgres SQLSTATE of a failed query, or undefined when it succeeded. */
export async function sqlState(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? 'no-code';
  }
}

/** One row of each main entity, for tests that need parents to point at. */
export async function insertFixtures(trx: Knex.Transaction) {
  const [location] = await trx('locations').insert({ country: 'CM', region: 'Centre', city: 'Yaoundé', latitude: 3.848, longitude: 11.502 }).returning('id');
  const [user] = await trx('users').insert({ email: `fixture-${Math.random().toString(36).slice(2)}@example.org`, first_name: 'Amina', last_name: 'Bello', user_type: 'BENEFICIARY' }).returning('id');
  const [hr] = await trx('users').insert({ email: `hr-${Math.random().toString(36).slice(2)}@example.org`, first_name: 'Tunde', last_name: 'Okoro', user_type: 'HR_PARTNER' }).returning('id');
  const [organization] = await trx('organizations').insert({ name: `Fixture Org ${Math.random().toString(36).slice(2)}`, type: 'employer', location_id: location.id }).returning('id');
  const [candidate] = await trx('candidates').insert({ user_id: user.id, candidate_type: 'beneficiary', category: 'IDP', location_id: location.id }).returning('id');
  const [skill] = await trx('skills').insert({ slug: `fixture-skill-${Math.random().toString(36).slice(2, 8)}`, skill_name: `Fixture skill ${Math.random()}`, skill_category: 'trade' }).returning('id');
  const [opportunity] = await trx('opportunities').insert({ type: 'PERMANENT_EMPLOYMENT', title: 'Forklift operator', description: 'Warehouse work', organization_id: organization.id, location_id: location.id }).returning('id');
  return { locationId: location.id as string, userId: user.id as string, hrUserId: hr.id as string, organizationId: organization.id as string, candidateId: candidate.id as string, skillId: skill.id as string, opportunityId: opportunity.id as string };
}

/**
 * Polls `probe` every 100 ms until `accept` takes its value (returned), or fails after
 * `timeoutMs` naming `what` and the last value: for what a stream or a refresh makes true later.
 */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await probe();
  }
  return last;
}
