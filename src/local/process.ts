/** Running the local services' programs, as an unprivileged account when we are root. */
import { execFile, spawn, type SpawnOptions } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ServiceError } from '../errors.js';

const execFileAsync = promisify(execFile);

export interface Account {
  uid: number;
  gid: number;
  name: string;
}

/**
 * Postgres and OpenSearch both refuse to run as root. When we are root, they run as
 * `serviceUser` (default `nobody`, present on every Debian system), and their data
 * directories belong to that account. Otherwise they run as us.
 */
export async function serviceAccount(serviceUser: string): Promise<Account | undefined> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  try {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      execFileAsync('id', ['-u', serviceUser]),
      execFileAsync('id', ['-g', serviceUser]),
    ]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()), name: serviceUser };
  } catch (cause) {
    throw new ServiceError('service_user_missing', `Running as root, but the account "${serviceUser}" that should run the local services does not exist (set MERIDIAN_SERVICE_USER)`, cause);
  }
}

export async function ensureOwnedDir(dir: string, account: Account | undefined, mode = 0o755): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode });
  if (account) await fs.chown(dir, account.uid, account.gid);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion, as `account` if given, collecting its output. */
export function run(command: string, args: string[], options: SpawnOptions & { account?: Account; timeoutMs?: number } = {}): Promise<RunResult> {
  const { account, timeoutMs, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...spawnOptions,
      ...(account ? { uid: account.uid, gid: account.gid } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = timeoutMs ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : undefined;
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function isProcessAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function readTail(file: string, lines = 30): Promise<string> {
  try {
    const text = await fs.readFile(file, 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The JDK behind the `java` on PATH (/usr/bin/java is a chain of links into it). */
export async function detectJavaHome(): Promise<string | undefined> {
  try {
    const java = await fs.realpath('/usr/bin/java');
    return path.resolve(path.dirname(java), '..');
  } catch {
    return undefined;
  }
}

/** The live process whose id the file holds, or undefined (no file, junk, or a dead process). */
export async function readPidFile(pidFile: string): Promise<number | undefined> {
  try {
    const pid = Number((await fs.readFile(pidFile, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 && (await isProcessAlive(pid)) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stops the process a pid file names: SIGTERM, up to a minute to exit, then SIGKILL; the file
 * is removed. False when nothing was running.
 */
export async function stopByPidFile(pidFile: string): Promise<boolean> {
  const pid = await readPidFile(pidFile);
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && (await isProcessAlive(pid))) await sleep(250);
  if (await isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  await fs.rm(pidFile, { force: true });
  return true;
}
