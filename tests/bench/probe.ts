/**
 * In-page instrumentation, installed before any page script runs (context.addInitScript). It watches
 * the DOM, shadow roots included, and stamps when a selector first matches (or, for counted
 * selectors, when its match count last grew), both at the DOM change and at the next animation frame
 * (the frame that paints it). Times are performance.now(): ms since navigation start.
 *
 * It also keeps long tasks, and input timestamps on the epoch clock the simulated machine uses.
 */
import type { BrowserContext } from '@playwright/test';

export interface Watch {
  readonly name: string;
  readonly selector: string;
  /** Track the number of matches (within one root) instead of the first match. */
  readonly count?: boolean;
}

export interface Mark {
  /** The DOM change (mutation observer callback). */
  dom: number;
  /** The animation frame after it. */
  frame: number | undefined;
  /** Matches (counted watches). */
  n: number;
}

export interface InputStamp {
  readonly type: string;
  readonly key: string;
  /** When the page handled it: performance.timeOrigin + performance.now(), on the Date.now() clock. */
  readonly at: number;
  /** How long the event waited for the page's main thread before that (its timeStamp to `at`), ms. */
  readonly waitedMs: number;
}

export interface ProbeState {
  marks: Record<string, Mark>;
  longTasks: { start: number; duration: number }[];
  inputs: InputStamp[];
  /** Set to record `sends` (off by default: a long run would grow the heap it measures). */
  recordSends: boolean;
  /** Requests the page put on a data channel: method and epoch time (see `now`). */
  sends: { method: string; at: number }[];
  /** WebRTC milestones of the page's peer connections: `pc:<event>:<state>` -> performance.now(). */
  events: { name: string; at: number }[];
  /** Date.now() minus performance.timeOrigin + performance.now(), measured at install. */
  offset: number;
  /** Epoch ms, precise, on the Date.now() clock. */
  now(): number;
}

declare global {
  interface Window {
    __bench?: ProbeState;
  }
}

/** Runs in the page: keep it self-contained (no imports, no closures over module scope). */
function install(watches: readonly Watch[]): void {
  const marks: Record<string, Mark> = {};
  // performance.timeOrigin + now() runs on a monotonic clock; Date.now() on the wall clock the
  // machine stamps its call log with. Measure their offset (Date.now() truncates: add half a ms).
  let offset = 0;
  for (let i = 0; i < 200; i++) offset += Date.now() - (performance.timeOrigin + performance.now());
  offset = offset / 200 + 0.5;
  const now = (): number => performance.timeOrigin + performance.now() + offset;
  const state: ProbeState = {
    marks,
    longTasks: [],
    inputs: [],
    recordSends: false,
    sends: [],
    events: [],
    offset,
    now,
  };
  const event = (name: string): void => {
    state.events.push({ name, at: performance.now() });
  };

  // Peer connection milestones, to tell the dial's parts apart (signaling, ICE, DTLS, data channel).
  const Native = window.RTCPeerConnection;
  class Watched extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      event('pc:new');
      this.addEventListener('iceconnectionstatechange', () => event(`pc:ice:${this.iceConnectionState}`));
      this.addEventListener('connectionstatechange', () => event(`pc:conn:${this.connectionState}`));
    }
    override createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel {
      const channel = super.createDataChannel(label, init);
      channel.addEventListener('open', () => event(`dc:open:${label}`));
      return channel;
    }
  }
  window.RTCPeerConnection = Watched;

  // A request's first frame carries its method path in plain bytes (RequestHeaders.method).
  const latin1 = new TextDecoder('latin1');
  const send = Object.getOwnPropertyDescriptor(RTCDataChannel.prototype, 'send')?.value as (
    this: RTCDataChannel,
    data: unknown,
  ) => void;
  RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: never): void {
    if (state.recordSends && this.label === 'data' && ArrayBuffer.isView(data)) {
      const view = data as ArrayBufferView;
      const text = latin1.decode(
        new Uint8Array(view.buffer, view.byteOffset, Math.min(view.byteLength, 200)),
      );
      const method = /\/[\w.]+\/(\w+)/.exec(text)?.[1];
      if (method !== undefined) state.sends.push({ method, at: now() });
    }
    send.call(this, data);
  };
  window.__bench = state;

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) state.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long task API: the benchmark falls back to CDP metrics
  }

  for (const type of ['keydown', 'keyup', 'pointerdown', 'pointerup']) {
    window.addEventListener(
      type,
      (e) => {
        const key = e instanceof KeyboardEvent ? e.key : '';
        if (e instanceof KeyboardEvent && e.repeat) return;
        state.inputs.push({ type, key, at: now(), waitedMs: Math.max(0, performance.now() - e.timeStamp) });
      },
      { capture: true },
    );
  }

  const pending = new Set<Watch>(watches);
  const stamp = (name: string, n: number): void => {
    const mark: Mark = { dom: performance.now(), frame: undefined, n };
    marks[name] = mark;
    requestAnimationFrame(() => {
      if (marks[name] === mark) mark.frame = performance.now();
    });
  };
  const check = (roots: Iterable<Document | ShadowRoot>): void => {
    for (const w of pending) {
      for (const root of roots) {
        if (w.count) {
          const n = root.querySelectorAll(w.selector).length;
          if (n > (marks[w.name]?.n ?? 0)) stamp(w.name, n);
        } else if (root.querySelector(w.selector)) {
          stamp(w.name, 1);
          pending.delete(w);
          break;
        }
      }
    }
  };
  const observer = new MutationObserver((records) => {
    const roots = new Set<Document | ShadowRoot>();
    for (const r of records) {
      const root = r.target.getRootNode();
      if (root instanceof Document || root instanceof ShadowRoot) roots.add(root);
    }
    check(roots);
  });
  const options: MutationObserverInit = { subtree: true, childList: true, attributes: true };
  observer.observe(document, options);
  const attach = Object.getOwnPropertyDescriptor(Element.prototype, 'attachShadow')?.value as (
    this: Element,
    init: ShadowRootInit,
  ) => ShadowRoot;
  Element.prototype.attachShadow = function (this: Element, init: ShadowRootInit): ShadowRoot {
    const root = attach.call(this, init);
    observer.observe(root, options);
    return root;
  };
}

/** Installs the probe in every page of `context`, watching `watches`. */
export async function installProbe(context: BrowserContext, watches: readonly Watch[] = []): Promise<void> {
  // tsx compiles with esbuild's keepNames, which wraps functions in __name(): give the page one.
  await context.addInitScript('globalThis.__name = (f) => f;');
  await context.addInitScript(install, watches);
}
