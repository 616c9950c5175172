/**
 * Api-key authentication the way Viam's signaler does it: Authenticate trades
 * {entity: key id, credentials: {type: 'api-key', payload: key}} for an access
 * token, sent after as `authorization: Bearer <token>`.
 *
 * Tokens are JWT-shaped (HS256 over a per-process secret) so they can be checked
 * without keeping a list of issued tokens; the SDK treats them as opaque.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import { AuthService, ExternalAuthService } from '../proto/rpc-auth.ts';

const TOKEN_TTL_S = 24 * 60 * 60;

export interface AuthOptions {
  apiKeyId: string;
  apiKey: string;
  /** entities AuthenticateTo may issue tokens for (the machine's hostname, id) */
  machineEntities: string[];
}

export interface Auth {
  authService: Partial<ServiceImpl<typeof AuthService>>;
  externalAuthService: Partial<ServiceImpl<typeof ExternalAuthService>>;
  /** throws Unauthenticated unless `authorization` carries a token this process issued */
  requireBearer(header: Headers): void;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function sameText(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function createAuth(opts: AuthOptions): Auth {
  const secret = randomBytes(32);

  const sign = (subject: string, audience: string): string => {
    const now = Math.floor(Date.now() / 1000);
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify({ sub: subject, aud: audience, iat: now, exp: now + TOKEN_TTL_S }));
    const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${sig}`;
  };

  const verify = (token: string): boolean => {
    const parts = token.split('.');
    if (parts.length !== 3) return false;
    const [head = '', body = '', sig = ''] = parts;
    const want = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
    if (!sameText(sig, want)) return false;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { exp?: unknown };
      return typeof claims.exp === 'number' && claims.exp * 1000 > Date.now();
    } catch {
      return false;
    }
  };

  const requireBearer = (header: Headers): void => {
    const value = header.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/iu.exec(value);
    if (!match?.[1]) throw new ConnectError('missing authorization bearer token', Code.Unauthenticated);
    if (!verify(match[1])) throw new ConnectError('invalid or expired access token', Code.Unauthenticated);
  };

  return {
    requireBearer,
    authService: {
      authenticate(req) {
        const creds = req.credentials;
        if (creds?.type !== 'api-key') {
          throw new ConnectError(`unsupported credential type "${creds?.type ?? ''}"`, Code.InvalidArgument);
        }
        // Same answer for an unknown entity and a wrong key, as a real signaler gives.
        if (!sameText(req.entity, opts.apiKeyId) || !sameText(creds.payload, opts.apiKey)) {
          throw new ConnectError('invalid credentials', Code.PermissionDenied);
        }
        return { accessToken: sign(req.entity, 'viam-sim') };
      },
    },
    externalAuthService: {
      authenticateTo(req, ctx) {
        requireBearer(ctx.requestHeader);
        if (!opts.machineEntities.includes(req.entity)) {
          throw new ConnectError(`unknown entity "${req.entity}"`, Code.PermissionDenied);
        }
        return { accessToken: sign(req.entity, req.entity) };
      },
    },
  };
}
