/** What every benchmark states about where it ran. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export function machine() {
  return {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? 'unknown',
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()}-${os.arch()}`,
  };
}

/** What the OpenSearch node's command line holds (for cpuMs). */
export const OPENSEARCH_PROCESS = 'org.opensearch.bootstrap.OpenSearch';

/** Peak resident set size of this process so far, in MiB (getrusage maxrss is in KiB on Linux). */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/**
 * CPU time (user + system, in ms) used so far by the processes whose command line contains
 * `pattern`, or by `pid` and its descendants; from /proc (Linux). On a machine where the API,
 * the engine and the load generator share the cores, CPU per request says what each part
 * costs better than latency differences between two runs do.
 */
export function cpuMs(target: { pid: number } | { pattern: string }): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const ticksPerSecond = 100; // USER_HZ: 100 on every Linux platform Node supports
  let pids: number[];
  if ('pid' in target) {
    pids = [target.pid, ...descendants(target.pid)];
  } else {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(target.pattern);
      } catch {
        return false;
      }
    });
  }
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which may contain spaces): utime and stime are 14 and 15.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between listing and reading: its time is gone with it.
    }
  }
  return pids.length > 0 ? (ticks / ticksPerSecond) * 1000 : undefined;
}

function descendants(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    return children.flatMap((child) => [child, ...descendants(child)]);
  } catch {
    return [];
  }
}
