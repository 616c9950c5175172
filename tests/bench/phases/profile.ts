/**
 * A short CPU profile of a page (CDP Profiler), reduced to where the main thread's time went: self
 * time by function (with its file), the biggest first. For diagnosing a figure, not for targets.
 */
import type { Browser, CDPSession, Page } from '@playwright/test';

export interface ProfileEntry {
  readonly fn: string;
  readonly selfMs: number;
  readonly share: number;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export async function profileFor(cdp: CDPSession, ms: number, top = 15): Promise<ProfileEntry[]> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await new Promise((r) => setTimeout(r, ms));
  const { profile } = await cdp.send('Profiler.stop');
  const nodes = new Map<number, ProfileNode>(profile.nodes.map((n: ProfileNode) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  samples.forEach((id: number, i: number) => {
    const dt = (deltas[i + 1] ?? 0) / 1000;
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    const file = frame.url.slice(frame.url.lastIndexOf('/') + 1);
    const key = file
      ? `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`
      : frame.functionName;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  return [...self]
    .map(([fn, selfMs]) => ({ fn, selfMs: Math.round(selfMs), share: selfMs / total }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top);
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { frame?: string } };
}

/**
 * A Chromium trace of `page` for `ms`, reduced to the renderer main thread's self time by event
 * (script, style, layout, paint, GC…): what "(program)" in a CPU profile is made of.
 */
export async function traceBreakdown(
  browser: Browser,
  page: Page,
  ms: number,
  top = 12,
): Promise<ProfileEntry[]> {
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink', 'toplevel'],
  });
  await new Promise((r) => setTimeout(r, ms));
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
  const events = trace.traceEvents;
  // The page's renderer: the process whose main thread ran the most.
  const mains = events.filter(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
  );
  let best: { pid: number; tid: number; busy: number } | undefined;
  for (const m of mains) {
    const busy = events
      .filter(
        (e) =>
          e.pid === m.pid && e.tid === m.tid && e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask',
      )
      .reduce((s, e) => s + (e.dur ?? 0), 0);
    if (!best || busy > best.busy) best = { pid: m.pid, tid: m.tid, busy };
  }
  if (!best) return [];
  const main = events
    .filter((e) => e.pid === best.pid && e.tid === best.tid && e.ph === 'X' && (e.dur ?? 0) > 0)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: { end: number; name: string }[] = [];
  for (const e of main) {
    while (stack.length && (stack.at(-1)?.end ?? 0) <= e.ts) stack.pop();
    const parent = stack.at(-1);
    const dur = e.dur ?? 0;
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - dur);
    self.set(e.name, (self.get(e.name) ?? 0) + dur);
    stack.push({ end: e.ts + dur, name: e.name });
  }
  const wall = ms * 1000;
  return [...self]
    .map(([fn, us]) => ({ fn, selfMs: Math.round(us / 1000), share: us / wall }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top);
}
