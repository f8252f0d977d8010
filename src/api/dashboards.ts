/**
 * The funders' dashboard (dashboards/) bundled with esbuild and served by the API at
 * /dashboards/. The bundle is built into $MERIDIAN_HOME/dashboards when the API starts (and
 * rebuilt when a source is newer), so a fresh clone needs no separate build step.
 */
import { copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type Router from '@koa/router';
import { PROJECT_ROOT } from '../config.js';
import { NotFoundError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ApiState } from './app.js';

const SOURCE = path.join(PROJECT_ROOT, 'dashboards');
const FILES: Record<string, string> = { 'index.html': 'text/html; charset=utf-8', 'app.js': 'text/javascript; charset=utf-8', 'styles.css': 'text/css; charset=utf-8' };

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestSource(full) : (await stat(full)).mtimeMs);
  }
  return newest;
}

/** Builds the bundle into `outDir` unless it is newer than every source file. */
export async function buildDashboards(outDir: string, log: Logger): Promise<void> {
  const built = await stat(path.join(outDir, 'app.js')).then((s) => s.mtimeMs, () => 0);
  if (built > (await newestSource(SOURCE))) return;
  const started = performance.now();
  const { build } = await import('esbuild');
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(SOURCE, 'src/main.ts')], bundle: true, minify: true, format: 'iife', target: 'es2020',
    outfile: path.join(outDir, 'app.js'), logLevel: 'silent', legalComments: 'none',
  });
  await copyFile(path.join(SOURCE, 'index.html'), path.join(outDir, 'index.html'));
  await copyFile(path.join(SOURCE, 'styles.css'), path.join(outDir, 'styles.css'));
  log.info('dashboards: built', { outDir, ms: Math.round(performance.now() - started) });
}

export function dashboardRoutes(router: Router<ApiState>, outDir: string): void {
  const cache = new Map<string, Buffer>();
  const serve: Parameters<typeof router.get>[1] = async (ctx) => {
    // Relative asset URLs need the trailing slash.
    if (ctx.path === '/dashboards') return ctx.redirect('/dashboards/');
    const file = (ctx.params as { file?: string }).file ?? 'index.html';
    const type = FILES[file];
    if (!type) throw new NotFoundError(`No dashboard file ${file}`, 'route_not_found');
    let body = cache.get(file);
    if (!body) {
      body = await readFile(path.join(outDir, file)).catch(() => {
        throw new NotFoundError('The dashboard is not built (the API builds it at start)', 'dashboard_not_built');
      });
      cache.set(file, body);
    }
    ctx.type = type;
    ctx.set('Cache-Control', file === 'index.html' ? 'no-cache' : 'public, max-age=300');
    // The page talks only to this API; nothing inline runs.
    ctx.set('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = body;
  };
  router.get('/dashboards/', serve);
  router.get('/dashboards/:file', serve);
}
