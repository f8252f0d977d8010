/**
 * JSON request bodies: size-limited, content-type checked, and parsed into a plain object or
 * refused with a code the client can act on (415, 413, 400).
 */
import type { Context } from 'koa';
import { MeridianError, ValidationError } from '../errors.js';

const LIMIT_BYTES = 64 * 1024;

export async function readJsonObject(ctx: Context): Promise<Record<string, unknown>> {
  if (!ctx.is('application/json')) {
    throw new MeridianError('unsupported_media_type', 'Send the body as JSON (Content-Type: application/json)', { status: 415, expose: true });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > LIMIT_BYTES) throw new MeridianError('body_too_large', `The body may be at most ${LIMIT_BYTES} bytes`, { status: 413, expose: true });
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ValidationError('The body is not valid JSON', undefined, 'invalid_json');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError('The body must be a JSON object', undefined, 'invalid_json');
  return value as Record<string, unknown>;
}
