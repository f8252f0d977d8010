/**
 * The CLI's user errors, found by a robustness review on 2026-11-28 and each reproduced before
 * it was fixed: a clear message, exit 2 (bad_arguments) and no stack trace for impossible or
 * out-of-range dates, limits and token lifetimes, and one line for a database that is not
 * there. Runs `node bin/meridian.js` against a test database of its own.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { harness } from './harness.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest } from '../src/db/migrate.js';

describe('CLI: user errors', function () {
  this.timeout(300_000);
  let url: string;
  let emptyUrl: string;

  const cli = (args: string[], env: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, ['bin/meridian.js', ...args], {
      cwd: process.cwd(), encoding: 'utf8', timeout: 120_000,
      env: { ...process.env, DATABASE_URL: url, INDEX_PREFIX: 'robustness_cli_', LOG_LEVEL: 'info', ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  /** Exit 2, bad_arguments, no stack frames. */
  const expectUserError = (result: ReturnType<typeof cli>, mentions: string) => {
    const label = `exit ${result.status}\n${result.stdout}\n${result.stderr}`;
    expect(result.stderr, label).to.not.match(/^\s+at .+:\d+:\d+\)?$/m);
    expect(result.status, label).to.equal(2);
    expect(result.stderr, label).to.include('bad_arguments');
    expect(result.stderr, label).to.include(mentions);
  };

  before(async () => {
    url = await harness().createDatabase('rr_cli');
    emptyUrl = await harness().createDatabase('rr_cli_empty');
    for (const u of [url, emptyUrl]) {
      const db = createDb(harness().config, harness().log, { url: u });
      await migrateLatest(db);
      await db.destroy();
    }
  });

  it('pipelines run --from 2026-02-31: refused as not a date', () => {
    expectUserError(cli(['pipelines', 'run', 'company-metrics', '--from', '2026-02-31', '--to', '2026-03-05']), '--from');
  });

  it('pipelines run --from 0000-01-01: refused (Postgres has no year 0)', () => {
    expectUserError(cli(['pipelines', 'run', 'platform-metrics', '--from', '0000-01-01', '--to', '0001-01-01']), '--from');
  });

  it('pipelines run --from <a future day> without --to: refused as after the default end', () => {
    expectUserError(cli(['pipelines', 'run', 'cohort-metrics', '--from', '2099-01-01']), '--from');
  });

  it('dead-letters list --limit 99999999999999999999: refused', () => {
    expectUserError(cli(['dead-letters', 'list', '--limit', '99999999999999999999']), '--limit');
  });

  it('token --ttl-hours 1e306: refused', () => {
    expectUserError(cli(['token', '--user', '00000000-0000-4000-8000-000000000000', '--roles', 'funder', '--ttl-hours', '1e306']), '--ttl-hours');
  });

  it('seed --as-of 2026-02-31: refused', () => {
    expectUserError(cli(['seed', '--candidates', '50', '--as-of', '2026-02-31'], { DATABASE_URL: emptyUrl }), '--as-of');
  });

  it('seed --as-of 0000-01-01: refused as bad_arguments, exit 2', () => {
    expectUserError(cli(['seed', '--candidates', '50', '--reset', '--as-of', '0000-01-01'], { DATABASE_URL: emptyUrl }), '--as-of');
  });

  it('a DATABASE_URL naming no database: one clear message, no stack trace', () => {
    const missing = url.replace(/\/[^/]+$/, '/robustness_no_such_db');
    const result = cli(['reconcile', 'candidates', '--dry-run'], { DATABASE_URL: missing });
    expect(result.status, result.stderr).to.not.equal(0);
    expect(result.stderr, result.stderr).to.not.match(/^\s+at .+:\d+:\d+\)?$/m);
  });
});
