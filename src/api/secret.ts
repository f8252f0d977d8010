/**
 * The token-signing secret: AUTH_SECRET when given; otherwise one generated for this
 * installation and kept (mode 0600) in MERIDIAN_HOME, so `meridian token` and `meridian api`
 * agree without anyone configuring anything on a development machine.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';

export async function resolveAuthSecret(config: Config): Promise<string> {
  if (config.api.authSecret) return config.api.authSecret;
  const file = path.join(config.home, 'auth-secret');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    await fs.mkdir(config.home, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    // 'wx': if another process created it meanwhile, read theirs instead.
    await fs.writeFile(file, secret + '\n', { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await fs.readFile(file, 'utf8')).trim();
  }
}
