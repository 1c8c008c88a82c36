// JSON Web Tokens: verifying the bearer token of a request (HS256 secret or a
// JWKS endpoint) and signing HS256 tokens for the demo and the tests.
import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTVerifyOptions } from 'jose';

/** A token that does not prove who is calling; the message is safe to send back. */
export class AuthError extends Error {
  /** `missing`: no credentials at all (RFC 6750 then sends no error code). */
  constructor(message: string, readonly kind: 'missing' | 'invalid' = 'invalid') {
    super(message);
  }
}

/** Resolves to the verified `sub` claim, or rejects with an AuthError. */
export type VerifyToken = (token: string) => Promise<string>;

export interface VerifierOptions {
  jwtSecret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** Refuse tokens without `exp` (default true; ROWSCOPE_JWT_REQUIRE_EXP=0 turns it off). */
  requireExp?: boolean;
  /** How long a verified token is remembered (ms; default 60 s, 0: never); see below. */
  cacheMs?: number;
}

/**
 * Verifying a signature costs more than the rest of a small request's work in
 * Node (docs/performance.md, "GraphQL throughput"), and a client sends the same
 * token again and again. A token that verified is remembered, keyed by its full
 * text, until its `exp` (no clock tolerance) or `cacheMs`, whichever is first,
 * so the answer never outlives the token. The bound on age also bounds how long
 * a key removed from the JWKS keeps working (jose caches the set itself for
 * minutes). Whether the user may still act is not cached here: that is checked
 * against the database on every request (src/server/session.ts).
 */
const CACHE_ENTRIES = 10_000;

export function makeVerifier(opts: VerifierOptions): VerifyToken {
  // A token without `exp` would be a password that never expires: refused
  // unless the deployment says otherwise.
  const requiredClaims = opts.requireExp === false ? ['sub'] : ['sub', 'exp'];
  const claims: JWTVerifyOptions = { issuer: opts.issuer, audience: opts.audience, requiredClaims, clockTolerance: 5 };
  let verify: (token: string) => Promise<{ payload: { sub?: string; exp?: number } }>;
  if (opts.jwtSecret) {
    const key = new TextEncoder().encode(opts.jwtSecret);
    // Pinning the algorithm keeps a token from choosing how it is checked.
    verify = (token) => jwtVerify(token, key, { ...claims, algorithms: ['HS256'] });
  } else if (opts.jwksUrl) {
    const jwks = createRemoteJWKSet(new URL(opts.jwksUrl));
    // Asymmetric algorithms only: an HMAC "signed" with a public key proves nothing.
    const algorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
    verify = (token) => jwtVerify(token, jwks, { ...claims, algorithms });
  } else {
    throw new Error('makeVerifier: needs jwtSecret or jwksUrl');
  }
  const cacheMs = opts.cacheMs ?? 60_000;
  const verified = new Map<string, { sub: string; until: number }>();
  return async (token) => {
    const now = Date.now();
    const hit = verified.get(token);
    if (hit && now < hit.until) return hit.sub;
    if (hit) verified.delete(token);
    let payload: { sub?: string; exp?: number };
    try {
      ({ payload } = await verify(token));
    } catch (error) {
      throw toAuthError(error);
    }
    const { sub, exp } = payload;
    if (typeof sub !== 'string' || !UUID.test(sub)) throw new AuthError('the token\'s "sub" claim is not a user id');
    const user = sub.toLowerCase();
    const until = Math.min(now + cacheMs, typeof exp === 'number' ? exp * 1000 : Infinity);
    if (until > now) {
      // Oldest first out (a Map iterates in insertion order).
      if (verified.size >= CACHE_ENTRIES) verified.delete(verified.keys().next().value!);
      verified.set(token, { sub: user, until });
    }
    return user;
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toAuthError(error: unknown): unknown {
  if (error instanceof errors.JWTExpired) return new AuthError('the token has expired');
  if (error instanceof errors.JWSSignatureVerificationFailed) return new AuthError('the token\'s signature is not valid');
  if (error instanceof errors.JWKSNoMatchingKey) return new AuthError('the token is signed with an unknown key');
  if (error instanceof errors.JWTClaimValidationFailed) return new AuthError(`the token is not valid: ${error.message}`);
  if (error instanceof errors.JOSEAlgNotAllowed) return new AuthError('the token uses an algorithm this server does not accept');
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return new AuthError('the token is malformed');
  }
  // Anything else (the JWKS endpoint unreachable, ...) is the server's problem, not the caller's.
  return error;
}

/** An HS256 token whose `sub` is the system user id (for the demo and tests). */
export async function signToken(secret: string, userId: string, expiresIn: string | number = '1h'): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
