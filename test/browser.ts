/**
 * Headless Chromium for the dashboard tests: Debian's package, driven by playwright-core.
 * Installed on first use when missing (as root, with apt-get), so a fresh machine needs no
 * manual step.
 */
import { access } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const run = promisify(execFile);

async function installChromium(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} is missing; install Debian's chromium package (apt-get install chromium)`);
  const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 * 1024 * 1024 });
  try {
    await install();
  } catch {
    // A fresh machine may have no package lists yet.
    await run('apt-get', ['update'], { maxBuffer: 64 * 1024 * 1024 });
    await install();
  }
}

export async function launchChromium(): Promise<Browser> {
  if (!(await access(CHROMIUM).then(() => true, () => false))) await installChromium();
  // Root cannot use Chromium's sandbox; the pages are our own.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}
