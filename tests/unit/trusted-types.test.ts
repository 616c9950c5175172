import { describe, expect, it } from 'vitest';
import { isOwnBlobUrl } from '../../src/lib/trusted-types.ts';
import { installTrustedWorker } from '../../src/security/trusted-worker.ts';

const ORIGIN = 'https://console_acme.viamapplications.com';

describe('isOwnBlobUrl', () => {
  it('accepts only blob: URLs this origin minted', () => {
    expect(isOwnBlobUrl(`blob:${ORIGIN}/7d0c8f6e-1111-4aaa-9bbb-0123456789ab`, ORIGIN)).toBe(true);
    expect(isOwnBlobUrl('blob:http://localhost:5173/abc', 'http://localhost:5173')).toBe(true);
    for (const url of [
      `${ORIGIN}/assets/worker.js`,
      'blob:https://evil.example/7d0c8f6e',
      'blob:null/7d0c8f6e',
      'data:text/javascript,postMessage(1)',
      'javascript:alert(1)',
      `blob:${ORIGIN}.evil.example/x`,
      'blob:',
      '',
      'not a url',
    ]) {
      expect(isOwnBlobUrl(url, ORIGIN), url).toBe(false);
    }
    // An opaque origin (file:, sandboxed frame) owns nothing that can be told apart.
    expect(isOwnBlobUrl('blob:null/abc', 'null')).toBe(false);
  });
});

describe('installTrustedWorker', () => {
  /** A stand-in for the browser: records what the "native" Worker was given. */
  function fakeScope(withTrustedTypes = true) {
    const made: unknown[] = [];
    const policies: string[] = [];
    class NativeWorker {
      readonly url: unknown;
      constructor(url: unknown) {
        this.url = url;
        made.push(url);
      }
    }
    const scope = {
      location: { origin: ORIGIN },
      Worker: NativeWorker,
      ...(withTrustedTypes
        ? {
            trustedTypes: {
              createPolicy: (name: string, rules: { createScriptURL: (s: string) => string }) => {
                policies.push(name);
                return { createScriptURL: (s: string) => ({ trusted: rules.createScriptURL(s) }) };
              },
            },
          }
        : {}),
    };
    return { scope: scope as unknown as typeof globalThis, made, policies, NativeWorker };
  }

  it('passes the page’s own blob URLs through its one policy and refuses anything else', () => {
    const { scope, made, policies, NativeWorker } = fakeScope();
    installTrustedWorker(scope);
    expect(policies).toEqual(['mc-worker']);
    const W = scope.Worker;
    const url = `blob:${ORIGIN}/0a1b2c`;
    const worker = new W(url);
    expect(worker).toBeInstanceOf(NativeWorker);
    expect(made).toEqual([{ trusted: url }]);
    expect(() => new W('https://evil.example/x.js')).toThrow(TypeError);
    expect(() => new W(new URL('data:text/javascript,1'))).toThrow(TypeError);
    expect(made).toHaveLength(1);
  });

  it('changes nothing where the browser has no Trusted Types', () => {
    const { scope, NativeWorker } = fakeScope(false);
    installTrustedWorker(scope);
    expect(scope.Worker).toBe(NativeWorker);
  });
});
