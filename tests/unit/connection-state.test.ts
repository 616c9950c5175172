import { describe, expect, it } from 'vitest';
import { classifyConnectionError, motionReady, scrub } from '../../src/lib/connection-state.ts';
import { explainConnectionProblem, explainCredentialFailure } from '../../src/lib/explanations.ts';
import type { CredentialFailure } from '../../src/lib/credentials.ts';

const SECRET = 'key-secret-value-42';

/** Shaped like the SDK's errors: ConnectError{code, message} wrapped in Error{cause: Error[]}. */
const connectError = (code: number, message: string) =>
  Object.assign(new Error(message), { code, rawMessage: message });
const allMethods = (...causes: unknown[]) =>
  new Error('Failed to connect via all methods', { cause: causes });

describe('motionReady', () => {
  it('is false until connected, and while a machine session starts (first or renewed)', () => {
    const h = 'rover.local';
    expect(motionReady(undefined)).toBe(false);
    expect(motionReady({ phase: 'connecting', hostname: h })).toBe(false);
    expect(motionReady({ phase: 'reconnecting', hostname: h, session: { state: 'active' } })).toBe(false);
    expect(motionReady({ phase: 'connected', hostname: h, session: { state: 'starting' } })).toBe(false);
    for (const state of ['active', 'expired', 'unsupported', 'error'] as const)
      expect(motionReady({ phase: 'connected', hostname: h, session: { state } })).toBe(true);
    // Renewing a lapsed session: the SDK would hold motion calls (not Stop) until the new one exists.
    expect(
      motionReady({ phase: 'connected', hostname: h, session: { state: 'starting', renewing: true } }),
    ).toBe(false);
  });
});

describe('classifyConnectionError', () => {
  it('permission denied anywhere in the chain is an auth problem', () => {
    const problem = classifyConnectionError(
      allMethods(connectError(7, '[permission_denied] invalid key'), new Error('cannot dial "x" directly')),
      [SECRET],
    );
    expect(problem.kind).toBe('auth');
    expect(problem.detail).toContain('permission_denied');
  });

  it('unauthenticated is an auth problem', () => {
    expect(classifyConnectionError(connectError(16, 'no token'), []).kind).toBe('auth');
  });

  it('with an access token, Unauthenticated means signed out and PermissionDenied this machine only', () => {
    const denied = allMethods(connectError(7, 'user may not reach machine'), new Error('cannot dial'));
    expect(classifyConnectionError(denied, [], 'access-token').kind).toBe('forbidden');
    expect(classifyConnectionError(connectError(16, 'token revoked'), [], 'access-token').kind).toBe(
      'signed-out',
    );
    expect(classifyConnectionError(new Error('unauthenticated: expired'), [], 'access-token').kind).toBe(
      'signed-out',
    );
    // Both in one chain: the dead sign-in explains the denial too.
    expect(
      classifyConnectionError(allMethods(connectError(7, 'x'), connectError(16, 'y')), [], 'access-token')
        .kind,
    ).toBe('signed-out');
    // The API-key path keeps its single answer.
    expect(classifyConnectionError(denied, []).kind).toBe('auth');
    // Not a refusal: the same as with a key.
    expect(classifyConnectionError(allMethods(connectError(5, 'offline')), [], 'access-token').kind).toBe(
      'not-found',
    );
  });

  it('not found is a not-found problem', () => {
    expect(classifyConnectionError(allMethods(connectError(5, 'no such host')), []).kind).toBe('not-found');
  });

  it('fetch failures and timeouts are unreachable', () => {
    expect(classifyConnectionError(allMethods(new TypeError('Failed to fetch')), []).kind).toBe(
      'unreachable',
    );
    expect(classifyConnectionError(connectError(4, 'deadline exceeded'), []).kind).toBe('unreachable');
  });

  it('anything else is unknown, and never throws on odd input', () => {
    for (const odd of [undefined, null, 42, 'weird', { cause: { cause: { cause: 'x' } } }, [1, 2, 3]]) {
      expect(() => classifyConnectionError(odd, [])).not.toThrow();
    }
    expect(classifyConnectionError(new Error('boom'), []).kind).toBe('unknown');
  });

  it('scrubs secrets from the detail', () => {
    const problem = classifyConnectionError(new Error(`bad key ${SECRET} given`), [SECRET]);
    expect(problem.detail).not.toContain(SECRET);
    expect(scrub(`a ${SECRET} b ${SECRET}`, [SECRET])).toBe('a ••• b •••');
  });

  it('survives cyclic causes', () => {
    const a: { message: string; cause?: unknown } = { message: 'a' };
    a.cause = a;
    expect(() => classifyConnectionError(a, [])).not.toThrow();
  });
});

describe('explanations', () => {
  const failures: CredentialFailure[] = [
    { reason: 'no-machine-in-path' },
    { reason: 'no-cookie', machineKey: 'm' },
    { reason: 'not-json', machineKey: 'm' },
    { reason: 'unsupported-credential-type', machineKey: 'm', credentialType: 'robot-secret' },
    {
      reason: 'bad-fields',
      machineKey: 'm',
      fields: [
        { field: 'apiKey', problem: 'empty' },
        { field: 'hostname', problem: 'invalid' },
      ],
    },
  ];

  it.each(failures)('every credential failure has its own explanation with steps: %o', (failure) => {
    const e = explainCredentialFailure(failure);
    expect(e.id).toBe(failure.reason);
    expect(e.title).not.toBe('');
    expect(e.steps.length).toBeGreaterThan(0);
  });

  it('names bad fields in words', () => {
    expect(explainCredentialFailure(failures[4] as CredentialFailure).what).toContain(
      'the API key is empty and the machine’s address (hostname) is not valid',
    );
  });

  it.each(['auth', 'forbidden', 'not-found', 'unreachable', 'unknown'] as const)(
    'connection problem %s is explained',
    (kind) => {
      const e = explainConnectionProblem({ kind, detail: '' }, 'rover.local');
      expect(e.id).toBe(`connection-${kind}`);
      expect(e.what).toContain('rover.local');
    },
  );

  it('a refused sign-in asks to sign in again', () => {
    const e = explainConnectionProblem({ kind: 'signed-out', detail: '' }, 'rover.local');
    expect(e.id).toBe('signed-out');
    expect(e.title).toBe('Sign in again');
    expect(e.what).toContain('rover.local');
  });
});
