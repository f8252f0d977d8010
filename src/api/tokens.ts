/**
 * Bearer tokens: compact JWTs (HS256) carrying user, organisation and roles. Signed with the
 * configured secret; verified with a constant-time comparison; expired or altered tokens are
 * refused with distinct codes so a client knows whether to refresh or to give up.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MeridianError } from '../errors.js';

export const ROLES = ['administrator', 'recruiter', 'beneficiary', 'funder', 'institution_admin', 'ngo_partner', 'volunteer'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenClaims {
  /** User id. */
  sub: string;
  /** Organisation id, for people who act for one. */
  org?: string;
  roles: Role[];
  /** Issued at and expiry, seconds since the epoch. */
  iat: number;
  exp: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class AuthError extends MeridianError {
  constructor(code: string, message: string) {
    super(code, message, { status: 401, expose: true });
  }
}

function sign(input: string, secret: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

export function signToken(claims: Omit<TokenClaims, 'iat' | 'exp'> & { ttlSeconds?: number }, secret: string, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const { ttlSeconds = 12 * 3600, ...rest } = claims;
  const payload: TokenClaims = { ...rest, iat, exp: iat + ttlSeconds };
  const head = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  return `${head}.${sign(head, secret)}`;
}

export function verifyToken(token: string, secret: string, now = Date.now()): TokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new AuthError('token_malformed', 'The bearer token is not a JWT');
  const [header, payload, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(`${header}.${payload}`, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new AuthError('token_invalid', 'The bearer token signature does not match');
  let claims: TokenClaims;
  try {
    const parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string };
    if (parsedHeader.alg !== 'HS256') throw new Error('alg');
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as TokenClaims;
  } catch {
    throw new AuthError('token_malformed', 'The bearer token cannot be read');
  }
  // Signed, but the claims are still checked: ids go into SQL, and a null or a non-uuid there
  // was a 500 rather than a refused token.
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new AuthError('token_malformed', 'The bearer token carries no claims');
  if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles) || typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) throw new AuthError('token_malformed', 'The bearer token lacks user, roles or expiry');
  if (!UUID.test(claims.sub) || (claims.org !== undefined && (typeof claims.org !== 'string' || !UUID.test(claims.org)))) throw new AuthError('token_malformed', 'The bearer token\'s user or organisation is not an id');
  if (claims.roles.some((role) => !(ROLES as readonly string[]).includes(role))) throw new AuthError('token_malformed', 'The bearer token names an unknown role');
  if (claims.exp * 1000 <= now) throw new AuthError('token_expired', 'The bearer token has expired');
  return claims;
}
