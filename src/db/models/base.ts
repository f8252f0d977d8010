/**
 * The base of every Meridian model. Column names stay snake_case as property names (no
 * knexSnakeCaseMappers), so a model's JSON is the row's shape and SQL written by hand in
 * src/db and indexers/ reads the same names.
 */
import type { Knex } from 'knex';
import { Model, type ModelOptions, type Pojo, type QueryContext } from 'objection';

/** A Postgres numeric: written as a number or string, read back as a string (exact decimal). */
export type Decimal = number | string;

export class BaseModel extends Model {
  // `first()` adds LIMIT 1 instead of fetching every row and keeping one.
  static override useLimitInFirst = true;
  // Never derive JSON columns from jsonSchema: that would JSON-encode Postgres array columns
  // (eligible_categories, channels) too. Each model lists its jsonb columns.
  static override jsonAttributes: string[] = [];
  /**
   * Postgres array columns of enum types (eligible_categories). pg parses arrays only of the
   * types it knows, so these come back as '{IDP,RETURNING_MIGRANT}' and are parsed here.
   */
  static pgArrayAttributes: readonly string[] = [];

  /**
   * Objection runs graph inserts and fetches up to 4 queries at a time. Inside a transaction
   * they all share one connection, where pg queues them and warns (pg 9 will refuse), so run
   * them one by one there; on the pool, keep the parallelism.
   */
  static getConcurrency(knex?: Knex): number {
    return (knex as { isTransaction?: boolean } | undefined)?.isTransaction ? 1 : 4;
  }

  declare id: string;
  /** Set by the database default; never written by the application. */
  declare created_at: Date;

  override $parseDatabaseJson(json: Pojo): Pojo {
    const parsed = super.$parseDatabaseJson(json);
    for (const column of (this.constructor as typeof BaseModel).pgArrayAttributes) {
      const value = parsed[column];
      if (typeof value === 'string') parsed[column] = parsePgArray(value);
    }
    return parsed;
  }

  override $beforeInsert(context: QueryContext): void | Promise<void> {
    void context;
    // The columns are NOT NULL DEFAULT now(): an explicit null or undefined would defeat the default.
    const self = this as unknown as Record<string, unknown>;
    for (const column of ['created_at', 'updated_at']) {
      if (self[column] == null) delete self[column];
    }
  }

  override $beforeUpdate(options: ModelOptions, context: QueryContext): void | Promise<void> {
    void options;
    void context;
    // updated_at belongs to the set_updated_at trigger: an unchanged value (the whole fetched
    // model written back) is stamped by it; a null would break NOT NULL, so drop it.
    const self = this as unknown as Record<string, unknown>;
    if (self.updated_at == null) delete self.updated_at;
    if (self.created_at == null) delete self.created_at;
  }
}

/** A model whose table has updated_at, kept current by the database trigger. */
export class TimestampedModel extends BaseModel {
  declare updated_at: Date;
}

/** Parses a one-dimensional Postgres array literal: {a,"b c",NULL} → ['a', 'b c', null]. */
export function parsePgArray(literal: string): Array<string | null> {
  if (!literal.startsWith('{') || !literal.endsWith('}')) throw new Error(`not a Postgres array literal: ${literal}`);
  const body = literal.slice(1, -1);
  const items: Array<string | null> = [];
  if (body === '') return items;
  let i = 0;
  while (i <= body.length) {
    if (body[i] === '"') {
      let item = '';
      i += 1;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i += 1;
        item += body[i];
        i += 1;
      }
      items.push(item);
      i += 2; // closing quote and comma
    } else {
      const end = body.indexOf(',', i) === -1 ? body.length : body.indexOf(',', i);
      const item = body.slice(i, end);
      items.push(item === 'NULL' ? null : item);
      i = end + 1;
    }
  }
  return items;
}
