/**
 * The one write every job makes: insert rows, or update the existing row on the natural key
 * only when one of `compared` differs — so a re-run changes nothing, not even computed_at.
 * Returns how many rows were inserted or changed.
 */
import type { Knex } from 'knex';

const BATCH = 500;

export async function upsertChanged(db: Knex, table: string, key: string[], compared: readonly string[], rows: Array<Record<string, unknown>>): Promise<number> {
  const condition = `(${compared.map((c) => `m.${c}`).join(', ')}) IS DISTINCT FROM (${compared.map((c) => `excluded.${c}`).join(', ')})`;
  let changed = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const result = await db(`${table} as m`).insert(rows.slice(i, i + BATCH)).onConflict(key)
      .merge([...compared, 'computed_at'] as never).whereRaw(condition).returning('id');
    changed += result.length;
  }
  return changed;
}
