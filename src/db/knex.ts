/** The knex instance: one pool per process, with an error handler so a dropped idle connection never crashes it. */
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';

// Postgres int8 (counts) and numeric come back as strings by default; counts fit in a JS
// number, and numeric stays a string so money and scores keep their exact decimal value.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Db = Knex;

export function createDb(config: Config, log?: Logger, overrides: { url?: string; poolMax?: number } = {}): Db {
  return knexFactory({
    client: 'pg',
    connection: overrides.url ?? config.database.url,
    pool: {
      min: 0,
      max: overrides.poolMax ?? config.database.poolMax,
      afterCreate(connection: pg.Client, done: (error: Error | null, connection: pg.Client) => void) {
        connection.on('error', (error) => log?.warn('postgres: pooled connection failed', { error: error.message }));
        done(null, connection);
      },
    },
    asyncStackTraces: false,
    // Knex's own messages (a failed connection attempt, with its stack) go to our log, not
    // straight to the console: the caller reports the error that follows, once.
    log: {
      // A failed connection attempt is reported by whoever asked for the connection.
      warn: (message: unknown) => {
        const text = String(message).split('\n')[0]!;
        if (text.startsWith('Acquire connection error')) log?.debug(`knex: ${text}`);
        else log?.warn(`knex: ${text}`);
      },
      error: (message: unknown) => log?.debug(`knex: ${String(message)}`),
      deprecate: (message: unknown) => log?.debug(`knex: ${String(message)}`),
      debug: (message: unknown) => log?.debug(`knex: ${String(message)}`),
    },
  });
}
