/**
 * Lets the SDK's heartbeat Workers start under `require-trusted-types-for 'script'`.
 *
 * @viamrobotics/sdk 0.61.1 builds its heartbeat Workers (connection check, session heartbeats) with
 * `new Worker(URL.createObjectURL(blob))`: a plain string into a TrustedScriptURL sink, which the
 * browser refuses unless a policy vouches for it. The SDK cannot be given a trusted value, so the
 * page's Worker constructor passes string URLs through one named policy that accepts only this
 * page's own blob: URLs. Why not a 'default' policy: the CSP would then name 'default', and every
 * other script-URL sink (script.src, importScripts…) would get a fallback as well; with a named
 * policy, only `new Worker` converts strings, and only blob: ones.
 */
import { WORKER_POLICY, isOwnBlobUrl } from '../lib/trusted-types.ts';

interface ScriptUrlPolicy {
  createScriptURL(input: string): object;
}
interface PolicyFactory {
  createPolicy(name: string, rules: { createScriptURL: (input: string) => string }): ScriptUrlPolicy;
}

type WorkerConstructor = typeof Worker;

export function installTrustedWorker(scope: typeof globalThis = globalThis): void {
  const factory = (scope as { trustedTypes?: PolicyFactory }).trustedTypes;
  const Native = (scope as { Worker?: WorkerConstructor }).Worker;
  // Without Trusted Types the browser enforces nothing, and without Workers the SDK uses timers.
  if (!factory || !Native) return;
  const origin = scope.location.origin;
  const policy = factory.createPolicy(WORKER_POLICY, {
    createScriptURL: (input) => {
      if (isOwnBlobUrl(input, origin)) return input;
      throw new TypeError('Refused a Worker script that is not a blob: URL of this page');
    },
  });
  const trusted = (url: string | URL): string | URL =>
    // The native constructor takes the TrustedScriptURL object; TypeScript's DOM types do not know it.
    policy.createScriptURL(String(url)) as unknown as string;
  class TrustedWorker extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(trusted(url), options);
    }
  }
  scope.Worker = TrustedWorker;
}
