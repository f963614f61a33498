/** The simulator's identity service: client-credentials tokens shaped like Laurel's JWTs (HS256). */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenIssuer {
  issue(nowMs: number): { token: string; expiresIn: number };
  /** 'ok', or why the bearer token is refused. */
  verify(token: string, nowMs: number): 'ok' | 'invalid' | 'expired';
  /** Every token issued so far reads as expired from now on. */
  expireAll(): void;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function createTokenIssuer(options: { secret: string; clientId: string; audience: string; lifetimeSeconds: number }): TokenIssuer {
  const sign = (data: string) => createHmac('sha256', options.secret).update(data).digest('base64url');
  // A token carries the generation it was issued in; expireAll() starts a new one.
  let generation = 0;
  let serial = 0;
  return {
    issue(nowMs) {
      const iat = Math.floor(nowMs / 1000);
      const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: 'https://identity.laurel.sim/', sub: `${options.clientId}@clients`, aud: options.audience, iat, exp: iat + options.lifetimeSeconds, gty: 'client-credentials', jti: `${generation}.${(serial += 1)}` })}`;
      return { token: `${head}.${sign(head)}`, expiresIn: options.lifetimeSeconds };
    },
    verify(token, nowMs) {
      const parts = token.split('.');
      if (parts.length !== 3) return 'invalid';
      const expected = Buffer.from(sign(`${parts[0]}.${parts[1]}`));
      const given = Buffer.from(parts[2]);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
      try {
        const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: number; aud?: string; jti?: string };
        if (payload.aud !== options.audience) return 'invalid';
        if (payload.jti?.split('.')[0] !== String(generation)) return 'expired';
        return typeof payload.exp === 'number' && payload.exp * 1000 > nowMs ? 'ok' : 'expired';
      } catch {
        return 'invalid';
      }
    },
    expireAll() {
      generation += 1;
    },
  };
}
