/**
 * Who is calling, and what they may see: the cloud's two kinds of credential.
 *
 * - User access tokens (the OAuth token the platform puts in the `userToken` cookie) are sent as
 *   `authorization: Bearer <token>` with no Authenticate. Each user is a member of organizations
 *   and/or single locations.
 * - API keys go through `proto.rpc.v1.AuthService/Authenticate` first, which trades
 *   {entity: key id, credentials: {type: 'api-key', payload: key}} for a JWT-shaped bearer (HS256 over
 *   a per-process secret, so nothing needs remembering). A key is scoped to one machine, one location
 *   or one organization.
 *
 * Unknown, expired and revoked tokens are Unauthenticated; a known caller outside its scope is
 * PermissionDenied (the caller decides which of the two it was from the code).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Code, ConnectError } from '@connectrpc/connect';
import type { ApiKeyScope, ApiKeySpec, LocationSpec, MachineSpec, UserSpec } from './fleet-config.ts';

const TOKEN_TTL_S = 24 * 60 * 60;

export type Principal =
  | { kind: 'user'; user: UserSpec }
  | { kind: 'api-key'; keyId: string; scope: ApiKeyScope; resourceId: string };

/** What scope checks need to know about the fleet. */
export interface Directory {
  location(id: string): LocationSpec | undefined;
  machine(id: string): Pick<MachineSpec, 'machineId' | 'locationId'> | undefined;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function sameText(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

interface Claims {
  sub: string;
  /** 'key' = issued by Authenticate; 'machine' = AuthenticateTo narrowed it to one machine */
  kind: 'key' | 'machine';
  aud: string;
  exp: number;
}

export class Identity {
  private readonly secret = randomBytes(32);
  private readonly usersByToken = new Map<string, UserSpec>();
  private readonly usersById = new Map<string, UserSpec>();
  private readonly keys = new Map<string, ApiKeySpec>();
  /** revoked user tokens and API key ids */
  private readonly revoked = new Set<string>();
  /** user tokens made to expire now by the control API (over what the config says) */
  private readonly expiredNow = new Set<string>();

  constructor(
    users: UserSpec[],
    apiKeys: ApiKeySpec[],
    private readonly dir: Directory,
    private readonly now: () => number = Date.now,
  ) {
    for (const u of users) {
      this.usersByToken.set(u.token, u);
      this.usersById.set(u.id, u);
    }
    for (const k of apiKeys) this.keys.set(k.id, k);
  }

  /** Authenticate: an API key for a bearer. A wrong key and an unknown id get the same answer. */
  authenticate(entity: string, type: string | undefined, payload: string): string {
    if (type !== 'api-key') {
      throw new ConnectError(`unsupported credential type "${type ?? ''}"`, Code.InvalidArgument);
    }
    const key = this.keys.get(entity);
    if (!key || !sameText(payload, key.key) || this.revoked.has(key.id)) {
      throw new ConnectError('invalid credentials', Code.PermissionDenied);
    }
    return this.sign({ sub: key.id, kind: 'key', aud: 'viam-sim' });
  }

  /** AuthenticateTo: the caller's bearer narrowed to one machine it may reach. */
  authenticateTo(principal: Principal, machineId: string): string {
    // A user is named by id: a token must never travel inside another token.
    const sub = principal.kind === 'user' ? `user:${principal.user.id}` : principal.keyId;
    return this.sign({ sub, kind: 'machine', aud: machineId });
  }

  /** The caller behind `authorization: Bearer …`, or Unauthenticated. */
  principalOf(header: Headers): Principal {
    const value = header.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/iu.exec(value);
    if (!match?.[1]) throw new ConnectError('missing authorization bearer token', Code.Unauthenticated);
    const token = match[1];
    const user = this.usersByToken.get(token);
    if (user) return { kind: 'user', user: this.liveUser(user) };
    const claims = this.verify(token);
    if (!claims) throw new ConnectError('invalid or expired access token', Code.Unauthenticated);
    const base = this.principalOfSubject(claims.sub);
    if (claims.kind === 'machine') {
      // Still bound by what the original caller may reach.
      if (!this.canReachMachine(base, claims.aud)) {
        throw new ConnectError('access token no longer valid for this machine', Code.Unauthenticated);
      }
      return {
        kind: 'api-key',
        keyId: `${claims.sub}>${claims.aud}`,
        scope: 'machine',
        resourceId: claims.aud,
      };
    }
    return base;
  }

  private principalOfSubject(sub: string): Principal {
    if (sub.startsWith('user:')) {
      const user = this.usersById.get(sub.slice('user:'.length));
      if (!user) throw new ConnectError('invalid or expired access token', Code.Unauthenticated);
      return { kind: 'user', user: this.liveUser(user) };
    }
    const key = this.keys.get(sub);
    if (!key || this.revoked.has(key.id)) {
      throw new ConnectError('access token has been revoked', Code.Unauthenticated);
    }
    return { kind: 'api-key', keyId: key.id, scope: key.scope, resourceId: key.resourceId };
  }

  private liveUser(user: UserSpec): UserSpec {
    if (this.revoked.has(user.token))
      throw new ConnectError('access token has been revoked', Code.Unauthenticated);
    if (this.expiredNow.has(user.token) || (user.expiresAt !== undefined && user.expiresAt <= this.now())) {
      throw new ConnectError('access token is expired', Code.Unauthenticated);
    }
    return user;
  }

  // ---- scope ----

  /** Is `locationId` (or one of its ancestors) in `set`? */
  private withinLocations(locationId: string, set: ReadonlySet<string> | readonly string[]): boolean {
    const has = (id: string): boolean =>
      Array.isArray(set) ? set.includes(id) : (set as ReadonlySet<string>).has(id);
    let loc = this.dir.location(locationId);
    for (let depth = 0; loc && depth < 16; depth++) {
      if (has(loc.id)) return true;
      loc = loc.parentLocationId === '' ? undefined : this.dir.location(loc.parentLocationId);
    }
    return false;
  }

  canSeeLocation(p: Principal, locationId: string): boolean {
    const loc = this.dir.location(locationId);
    if (!loc) return false;
    if (p.kind === 'user') {
      return p.user.orgIds.includes(loc.orgId) || this.withinLocations(loc.id, p.user.locationIds);
    }
    switch (p.scope) {
      case 'organization':
        return loc.orgId === p.resourceId;
      case 'location':
        return this.withinLocations(loc.id, [p.resourceId]);
      case 'machine':
        return this.dir.machine(p.resourceId)?.locationId === loc.id;
    }
  }

  canReachMachine(p: Principal, machineId: string): boolean {
    const m = this.dir.machine(machineId);
    if (!m) return false;
    if (p.kind === 'api-key' && p.scope === 'machine') return p.resourceId === m.machineId;
    return this.canSeeLocation(p, m.locationId);
  }

  /** An organization is visible to members, and to whoever sees anything in it. */
  canSeeOrg(p: Principal, orgId: string, locationsOfOrg: readonly string[]): boolean {
    if (p.kind === 'user' && p.user.orgIds.includes(orgId)) return true;
    if (p.kind === 'api-key' && p.scope === 'organization') return p.resourceId === orgId;
    return locationsOfOrg.some((l) => this.canSeeLocation(p, l));
  }

  /** Who a principal is, for the call log (never a secret). */
  describe(p: Principal): string {
    return p.kind === 'user' ? `user ${p.user.id}` : `${p.scope} key ${p.keyId}`;
  }

  // ---- control ----

  /** Revokes a user token or an API key id. Returns what it matched. */
  revoke(tokenOrKeyId: string): 'user' | 'api-key' | undefined {
    const what = this.kindOf(tokenOrKeyId);
    if (what) this.revoked.add(tokenOrKeyId);
    return what;
  }

  expire(token: string): boolean {
    if (!this.usersByToken.has(token)) return false;
    this.expiredNow.add(token);
    return true;
  }

  /** Undoes revoke and expire. */
  restore(tokenOrKeyId: string): 'user' | 'api-key' | undefined {
    const what = this.kindOf(tokenOrKeyId);
    this.revoked.delete(tokenOrKeyId);
    this.expiredNow.delete(tokenOrKeyId);
    return what;
  }

  isRevoked(tokenOrKeyId: string): boolean {
    return this.revoked.has(tokenOrKeyId) || this.expiredNow.has(tokenOrKeyId);
  }

  userByIdOrToken(idOrToken: string): UserSpec | undefined {
    return this.usersByToken.get(idOrToken) ?? this.usersById.get(idOrToken);
  }

  private kindOf(tokenOrKeyId: string): 'user' | 'api-key' | undefined {
    if (this.usersByToken.has(tokenOrKeyId)) return 'user';
    if (this.keys.has(tokenOrKeyId)) return 'api-key';
    return undefined;
  }

  // ---- tokens ----

  private sign(claims: Omit<Claims, 'exp'>): string {
    const exp = Math.floor(this.now() / 1000) + TOKEN_TTL_S;
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify({ ...claims, iat: exp - TOKEN_TTL_S, exp }));
    const sig = createHmac('sha256', this.secret).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${sig}`;
  }

  private verify(token: string): Claims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [head = '', body = '', sig = ''] = parts;
    const want = createHmac('sha256', this.secret).update(`${head}.${body}`).digest('base64url');
    if (!sameText(sig, want)) return undefined;
    try {
      const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Claims>;
      if (typeof c.exp !== 'number' || c.exp * 1000 <= this.now()) return undefined;
      if (typeof c.sub !== 'string' || typeof c.aud !== 'string') return undefined;
      if (c.kind !== 'key' && c.kind !== 'machine') return undefined;
      return { sub: c.sub, kind: c.kind, aud: c.aud, exp: c.exp };
    } catch {
      return undefined;
    }
  }
}
