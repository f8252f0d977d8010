/** `npm run bench -- <name> [options]`: one benchmark per run, one JSON line per figure set. */
import { benchLoad } from './load.js';
import { benchCdc } from './cdc.js';
import { benchPeerPgsync } from './peers/pgsync.js';
import { benchSearch } from './search.js';

const BENCHMARKS: Record<string, (args: string[]) => Promise<void>> = {
  load: benchLoad,
  cdc: benchCdc,
  'peer-pgsync': benchPeerPgsync,
  search: benchSearch,
  pipelines: (args) => import('./pipelines.js').then((m) => m.benchPipelines(args)),
  recommend: (args) => import('./recommend.js').then((m) => m.benchRecommend(args)),
};

const [name, ...args] = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
const bench = name ? BENCHMARKS[name] : undefined;
if (!bench) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [options]\n`);
  process.exit(2);
}
try {
  await bench(args);
} catch (error) {
  process.stderr.write(`bench ${name} failed: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
}
