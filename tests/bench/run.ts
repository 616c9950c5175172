/**
 * The benchmark suite (`npm run bench`): bundle, time to useful, command latency, scale and soak of
 * the console, each figure beside its peer measured in the same run (the floor page: createRobotClient
 * alone, built with the same Vite config), since only ratios hold on a noisy machine. Prints a table
 * and writes bench-results/bench-<date>.json.
 *
 *   npm run bench [-- --quick] [-- --only bundle,load,command,drive,video,scale,soak,logs,fleet] [-- --soak-s 300]
 *                 [-- --tail-s 60]
 *                 [-- --compare DIR]   (also the console of another checkout, loads interleaved: try a change)
 *                 [-- --sim-nice -10]   (a diagnostic: the simulated machine's process at this priority)
 *                 [-- --only link] [-- --link-presses 30]   (a bad link: loss, delay, cap, outages; with
 *                 --compare, each scenario runs on both consoles back to back: before/after a change)
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../sim/harness/browser.ts';
import { commandLatency, floorCallLatency } from './phases/command.ts';
import { driveBench } from './phases/drive.ts';
import { videoFirstFrames, type VideoSubject } from './phases/video.ts';
import {
  fleetLoads,
  jumpsToBottom,
  openedVsSingle,
  READ_LIST_MS,
  type FleetLoadResult,
} from './phases/fleet.ts';
import { PRESS_SCENARIOS, outageFigures, pressFigures, type Lab } from './phases/link.ts';
import { beforeFirstStatus, loadTimes, medianTimeline, scriptsBeforeData } from './phases/load.ts';
import { logsHistory, logsOpenInit, logsTail } from './phases/logs.ts';
import { scaleRender, sensorPolling } from './phases/scale.ts';
import { soak } from './phases/soak.ts';
import { releaseUnderLoad, type DeadmanResult } from './phases/deadman-load.ts';
import { kb, mb, ms, pct, ratio, renderTable, spread, type Section } from './report.ts';
import {
  APP_URL,
  FLEET_APP_URL,
  FLEET_FLOOR_URL,
  FLEET_VARIANT_URL,
  FLOOR_URL,
  Bystander,
  SimProcess,
  VARIANT_URL,
  VIDEO_FLOOR_URL,
  buildAll,
  serveAll,
} from './stack.ts';
import { simCalls, simRequest } from './sim-client.ts';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const phases = new Set(
  (flag('only') ?? 'bundle,load,command,drive,video,scale,deadman,soak,logs,fleet').split(','),
);
const settings = {
  loads: Number(flag('loads') ?? (quick ? 5 : 15)),
  presses: Number(flag('presses') ?? (quick ? 50 : 200)),
  trials: Number(flag('trials') ?? (quick ? 3 : 10)),
  renders: quick ? 1 : 3,
  pollWindowMs: Number(flag('poll-s') ?? (quick ? 10 : 30)) * 1000,
  hiddenMs: (quick ? 3 : 5) * 1000,
  soakMs: Number(flag('soak-s') ?? (quick ? 60 : 300)) * 1000,
  /** The issue's figure is a minute of tail at 50 lines/s, --quick included. */
  tailS: Number(flag('tail-s') ?? 60),
  linkPresses: Number(flag('link-presses') ?? (quick ? 10 : 30)),
  /** only the link scenarios whose name contains this */
  linkScenarios: flag('link-scenarios') ?? '',
};

const ROOT = new URL('../..', import.meta.url).pathname;
const OUT = `${ROOT}dist-bench`;
const compare = flag('compare') === undefined ? undefined : resolve(flag('compare') ?? '');

function machineInfo(chromiumVersion: string) {
  const model =
    /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpus()[0]?.model;
  const git = (cmd: string[]): string => {
    try {
      return execFileSync('git', cmd, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  return {
    date: new Date().toISOString(),
    nproc: cpus().length,
    cpu: model ?? 'unknown',
    memoryGB: Math.round(
      Number(/MemTotal:\s*(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 2 ** 20,
    ),
    chromium: chromiumVersion,
    node: process.version,
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
  };
}

const log = (text: string): void => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}`);

const results: Record<string, unknown> = { settings, quick };
const sections: Section[] = [];
const started = performance.now();

log('building the console and the floor page with the same Vite config');
const builds = await buildAll(OUT, compare);
results['compare'] = compare;
results['bundle'] = builds;
if (phases.has('bundle')) {
  const { app, floor } = builds;
  const budget = 1.25;
  sections.push({
    title: '1. Bundle',
    rows: [
      {
        measure: 'Initial JS, gzip',
        value: kb(app.initialGzip),
        peer: `floor ${kb(floor.initialGzip)}`,
        ratio: ratio(app.initialGzip, floor.initialGzip),
        target: `<= ${budget}x floor`,
        pass: app.initialGzip <= budget * floor.initialGzip,
      },
      {
        measure: 'Initial JS, raw',
        value: kb(app.initialRaw),
        peer: `floor ${kb(floor.initialRaw)}`,
        ratio: ratio(app.initialRaw, floor.initialRaw),
      },
      ...(builds.variant
        ? [
            {
              measure: 'Variant: initial JS, gzip',
              value: kb(builds.variant.initialGzip),
              peer: `floor ${kb(floor.initialGzip)}`,
              ratio: ratio(builds.variant.initialGzip, floor.initialGzip),
            },
          ]
        : []),
      ...app.lazy.map((c) => ({
        measure: `  lazy ${c.file}`,
        value: `${kb(c.gzip)} gzip`,
        peer: `${kb(c.raw)} raw`,
      })),
    ],
    notes: [
      `initial files: ${app.initial.map((c) => c.file).join(', ')}; floor: ${floor.initial.map((c) => c.file).join(', ')}`,
    ],
  });
}

const servers = await serveAll(OUT, compare);
const simNice = flag('sim-nice');
if (simNice !== undefined && !/^-?\d+$/.test(simNice))
  throw new Error(`--sim-nice takes a nice value (-20 to 19), not "${simNice}"`);
const sim = new SimProcess(simNice === undefined ? {} : { nice: Number(simNice) });
results['simNice'] = simNice === undefined ? undefined : Number(simNice);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
results['machine'] = machineInfo(browser.version());
const urls = { app: APP_URL, floor: FLOOR_URL };

try {
  if (
    phases.has('load') ||
    phases.has('command') ||
    phases.has('drive') ||
    phases.has('video') ||
    phases.has('soak') ||
    phases.has('logs')
  ) {
    log('machine: the rover');
    await sim.start('rover');
  }
  if (phases.has('load')) {
    log(`time to useful: ${settings.loads} fresh loads each of the console and the floor`);
    const r = await loadTimes(
      browser,
      [
        { name: 'app', url: APP_URL, kind: 'app' },
        { name: 'floor', url: FLOOR_URL, kind: 'floor' },
        ...(compare === undefined ? [] : [{ name: 'variant', url: VARIANT_URL, kind: 'app' as const }]),
      ],
      settings.loads,
    );
    const app = r['app'];
    const floor = r['floor'];
    const variant = r['variant'];
    if (!app || !floor) throw new Error('load phase: no samples');
    results['load'] = {
      ...r,
      appTimeline: medianTimeline(app.samples),
      floorTimeline: medianTimeline(floor.samples),
      ...(variant ? { variantTimeline: medianTimeline(variant.samples) } : {}),
    };
    const timeline = (samples: typeof app.samples) =>
      medianTimeline(samples)
        .map((c) => `${c.method} ${Math.round(c.arrived)}`)
        .join(', ');
    sections.push({
      title: '2. Time to useful (rover)',
      rows: [
        {
          measure: 'Navigation -> dial starts (first auth/signaling request)',
          value: spread(app.dialStart),
          peer: `floor ${spread(floor.dialStart)}`,
          ratio: ratio(app.dialStart.median, floor.dialStart.median),
        },
        {
          measure: 'Navigation -> peer connection created',
          value: spread(app.pcNew),
          peer: `floor ${spread(floor.pcNew)}`,
          ratio: ratio(app.pcNew.median, floor.pcNew.median),
          target: '<= 1.10x floor',
          pass: app.pcNew.median <= 1.1 * floor.pcNew.median,
        },
        {
          measure: 'Navigation -> connected, median (min–max)',
          value: spread(app.connected),
          peer: `floor ${spread(floor.connected)}`,
          ratio: ratio(app.connected.median, floor.connected.median),
          target: '<= 1.10x floor',
          pass: app.connected.median <= 1.1 * floor.connected.median,
        },
        {
          measure: 'Navigation -> first status (floor: resource count)',
          value: spread(app.data),
          peer: `floor ${spread(floor.data)}`,
          ratio: ratio(app.data.median, floor.data.median),
          target: '< 400 ms median',
          pass: app.data.median < 400,
        },
        ...(() => {
          const gzipOf = (report: typeof builds.app) => (path: string) =>
            [...report.initial, ...report.lazy].find((c) => path.endsWith(`/${c.file}`))?.gzip;
          const a = scriptsBeforeData(app.samples, gzipOf(builds.app));
          const f = scriptsBeforeData(floor.samples, gzipOf(builds.floor));
          const v =
            variant && builds.variant
              ? scriptsBeforeData(variant.samples, gzipOf(builds.variant))
              : undefined;
          return [
            {
              measure: 'JS fetched by the first status, gzip [files]',
              value: `${kb(a.gzip.median)} [${a.files.median}]`,
              peer: `floor ${kb(f.gzip.median)} [${f.files.median}]`,
              ratio: ratio(a.gzip.median, f.gzip.median),
            },
            ...(v
              ? [
                  {
                    measure: 'Variant: JS fetched by the first status, gzip [files]',
                    value: `${kb(v.gzip.median)} [${v.files.median}]`,
                    peer: `console ${kb(a.gzip.median)} [${a.files.median}]`,
                    ratio: ratio(v.gzip.median, a.gzip.median),
                  },
                ]
              : []),
          ];
        })(),
        {
          measure: 'RPCs on the data channel before GetMachineStatus',
          value: `${beforeFirstStatus(app.samples).calls.median} (GetMachineStatus ${ms(beforeFirstStatus(app.samples).delay.median)} after the first)`,
          peer: 'floor: ResourceNames is the first',
        },
        {
          measure: 'Connected -> first status (floor: resource count)',
          value: spread(app.afterConnect),
          peer: `floor ${spread(floor.afterConnect)}`,
          ratio: ratio(app.afterConnect.median, floor.afterConnect.median),
        },
        {
          measure: 'Navigation -> data channel open (the dial done)',
          value: spread(app.channelOpen),
          peer: `floor ${spread(floor.channelOpen)}`,
          ratio: ratio(app.channelOpen.median, floor.channelOpen.median),
        },
        {
          measure: 'Data channel open -> connected shown / first status shown, medians',
          value: `${ms(app.openToConnected.median)} / ${ms(app.openToData.median)}`,
          peer: `floor ${ms(floor.openToConnected.median)} / ${ms(floor.openToData.median)}`,
        },
        ...(variant
          ? [
              {
                measure: 'Variant: navigation -> peer connection created',
                value: spread(variant.pcNew),
                peer: `console ${spread(app.pcNew)}`,
                ratio: ratio(variant.pcNew.median, app.pcNew.median),
              },
              {
                measure: 'Variant: navigation -> connected',
                value: spread(variant.connected),
                peer: `console ${spread(app.connected)}`,
                ratio: ratio(variant.connected.median, app.connected.median),
              },
              {
                measure: 'Variant: navigation -> first status',
                value: spread(variant.data),
                peer: `console ${spread(app.data)}`,
                ratio: ratio(variant.data.median, app.data.median),
                target: '< 400 ms median',
                pass: variant.data.median < 400,
              },
              {
                measure: 'Variant: connected -> first status',
                value: spread(variant.afterConnect),
                peer: `console ${spread(app.afterConnect)}`,
                ratio: ratio(variant.afterConnect.median, app.afterConnect.median),
              },
              {
                measure: 'Variant: navigation -> data channel open',
                value: spread(variant.channelOpen),
                peer: `console ${spread(app.channelOpen)}`,
                ratio: ratio(variant.channelOpen.median, app.channelOpen.median),
              },
              {
                measure: 'Variant: data channel open -> connected shown / first status shown',
                value: `${ms(variant.openToConnected.median)} / ${ms(variant.openToData.median)}`,
                peer: `console ${ms(app.openToConnected.median)} / ${ms(app.openToData.median)}`,
              },
            ]
          : []),
      ],
      notes: [
        `console, median first arrival per RPC (ms since navigation): ${timeline(app.samples)}`,
        `floor: ${timeline(floor.samples)}`,
        ...(variant ? [`variant: ${timeline(variant.samples)}`] : []),
      ],
    });
  }
  if (phases.has('command')) {
    log(`command latency: ${settings.presses} presses, ${settings.trials} trials of each dead-man trigger`);
    const r = await commandLatency(browser, APP_URL, { presses: settings.presses, trials: settings.trials });
    const peer = await floorCallLatency(browser, FLOOR_URL, settings.presses);
    results['command'] = { ...r, floorCall: peer };
    const stop = (name: string, s: (typeof r.stops)['release']) => ({
      measure: `${name} -> stop at machine, median (max) [n]`,
      value: `${ms(s.median)} (${ms(s.max)}) [${s.n}${s.missed ? `, ${s.missed} missed` : ''}]`,
      peer: `SDK call ${ms(peer.median)}`,
      target: '< 100 ms',
      pass: s.missed === 0 && s.max < 100,
    });
    sections.push({
      title: '3. Command latency (rover)',
      rows: [
        {
          measure: 'Keydown -> SetPower at machine, p50',
          value: ms(r.setPower.median),
          peer: `floor SDK call ${ms(peer.median)}`,
          ratio: ratio(r.setPower.median, peer.median),
          target: '< 8 ms',
          pass: r.setPower.median < 8,
        },
        {
          measure: `Keydown -> SetPower at machine, p99 (n=${r.setPower.n})`,
          value: ms(r.setPower.p99),
          peer: `floor SDK call ${ms(peer.p99)}`,
          ratio: ratio(r.setPower.p99, peer.p99),
          target: '< 30 ms',
          pass: r.setPower.p99 < 30 && r.missed === 0,
        },
        {
          measure: '  of which keydown -> SetPower sent by the page, p50 / p99',
          value: `${ms(r.keyToSend.median)} / ${ms(r.keyToSend.p99)}`,
        },
        {
          measure: '  of which sent -> at machine, p50 / p99',
          value: `${ms(r.sendToMachine.median)} / ${ms(r.sendToMachine.p99)}`,
          peer: `floor SDK call ${ms(peer.median)} / ${ms(peer.p99)}`,
        },
        {
          measure: `Gamepad stick -> SetPower at machine, p50 / p99 (n=${r.pad.n})`,
          value: `${ms(r.pad.median)} / ${ms(r.pad.p99)}`,
          peer: `keydown ${ms(r.setPower.median)} / ${ms(r.setPower.p99)}`,
          ratio: ratio(r.pad.median, r.setPower.median),
          target: 'p50 < 25 ms, p99 < 50 ms',
          pass: r.pad.missed === 0 && r.pad.median < 25 && r.pad.p99 < 50,
        },
        stop('Key release', r.stops.release),
        stop('Gamepad stick centred', r.padRelease),
        stop('Window blur', r.stops.blur),
        stop('Hidden tab', r.stops.hidden),
        stop('Pad pointerup', r.stops.pointerup),
        { ...stop('Escape (StopAll)', r.stops.escape) },
      ],
      notes: [
        ...(r.missed ? [`${r.missed} presses had no SetPower`] : []),
        ...(r.pad.missed ? [`${r.pad.missed} stick pushes had no SetPower`] : []),
      ],
    });
  }
  if (phases.has('drive')) {
    log(`drive view: ${settings.loads} loads with and without it, ${settings.trials} camera freezes`);
    const r = await driveBench(browser, APP_URL, { loads: settings.loads, trials: settings.trials });
    results['drive'] = r;
    sections.push({
      title: '3b. Drive view (rover)',
      rows: [
        {
          measure: 'Navigation -> first video frame, drive view',
          value: spread(r.driveFirstFrame),
          peer: `dashboard, camera on screen ${spread(r.dashboardFirstFrame)}`,
          ratio: ratio(r.driveFirstFrame.median, r.dashboardFirstFrame.median),
          target: '<= dashboard',
          pass: r.driveFirstFrame.median <= r.dashboardFirstFrame.median * 1.05,
        },
        {
          measure: 'Camera frozen -> Stop at machine, median (max) [n]',
          value: `${ms(r.freezeToStop.median)} (${ms(r.freezeToStop.max)}) [${r.freezeToStop.n}${r.freezeToStop.missed ? `, ${r.freezeToStop.missed} missed` : ''}]`,
          peer: `threshold ${r.thresholdMs} ms`,
          target: `< threshold + 100 ms`,
          pass: r.freezeToStop.missed === 0 && r.freezeToStop.max < r.thresholdMs + 100,
        },
      ],
      notes: [`freeze -> stop delays: ${r.freezeToStop.delays.join(', ')} ms`],
    });
  }
  if (phases.has('video')) {
    const subjects: VideoSubject[] = [
      { name: 'floor', url: VIDEO_FLOOR_URL, kind: 'floor' },
      { name: 'dashboard', url: APP_URL, kind: 'dashboard' },
      { name: 'drive', url: APP_URL, kind: 'drive' },
      ...(compare === undefined
        ? []
        : [
            { name: 'variant dashboard', url: VARIANT_URL, kind: 'dashboard' as const },
            { name: 'variant drive', url: VARIANT_URL, kind: 'drive' as const },
          ]),
    ];
    log(`first video frame: ${settings.loads} fresh loads each of ${subjects.map((s) => s.name).join(', ')}`);
    const r = await videoFirstFrames(browser, subjects, settings.loads);
    results['video'] = r;
    const floor = r['floor'];
    const rows = floor
      ? subjects
          .filter((s) => s.kind !== 'floor')
          .flatMap((s) => {
            const v = r[s.name];
            if (!v) return [];
            const what = s.kind === 'drive' ? 'drive view' : 'dashboard, camera on screen';
            const who = s.name.startsWith('variant') ? `variant ${what}` : what;
            return [
              {
                measure: `Navigation -> first video frame, ${who}`,
                value: spread(v.firstFrame),
                peer: `video floor ${spread(floor.firstFrame)}`,
                ratio: ratio(v.firstFrame.median, floor.firstFrame.median),
                target: '<= 1.15x floor',
                pass: v.missed === 0 && v.firstFrame.median <= floor.firstFrame.median * 1.15,
              },
              {
                measure: `Connected -> first video frame, ${who}`,
                value: spread(v.afterConnect),
                peer: `video floor ${spread(floor.afterConnect)}`,
                ratio: ratio(v.afterConnect.median, floor.afterConnect.median),
                target: '<= 1.25x floor',
                pass: v.missed === 0 && v.afterConnect.median <= floor.afterConnect.median * 1.25,
              },
            ];
          })
      : [];
    sections.push({
      title: '3c. First video frame beside the video floor (rover)',
      rows,
      notes: [
        'video floor: tests/bench/floor/video.html, createRobotClient + StreamClient.getStream(cam) at once, same Vite config',
        `navigation -> connected, median: ${subjects.map((s) => `${s.name} ${ms(r[s.name]?.connected.median ?? Number.NaN)}`).join(', ')}`,
        ...subjects
          .filter((s) => (r[s.name]?.missed ?? 0) > 0)
          .map((s) => `${s.name}: ${r[s.name]?.missed} loads showed no frame`),
        ...(compare === undefined ? [] : [`variant: the console built from ${compare}`]),
      ],
    });
  }
  if (phases.has('scale')) {
    // The targets, as ratios to the floor page in the same run (issue 14).
    const T = { firstStatus: 1.15, screenData: 1.5, longTaskMs: 50, hz: 1.9, busy: 0.3 };
    const consoles = [
      { name: 'console', urls },
      ...(compare === undefined ? [] : [{ name: 'variant', urls: { app: VARIANT_URL, floor: FLOOR_URL } }]),
    ];
    log('machine: 300 resources');
    await sim.start('scale');
    const renders: Awaited<ReturnType<typeof scaleRender>>[] = [];
    for (const c of consoles) renders.push(await scaleRender(browser, c.urls, settings.renders));
    log('machine: 100 sensors');
    await sim.start('sensors');
    const polls: Awaited<ReturnType<typeof sensorPolling>>[] = [];
    for (const c of consoles) {
      polls.push(
        await sensorPolling(browser, c.urls, {
          sensors: 100,
          windowMs: settings.pollWindowMs,
          hiddenMs: settings.hiddenMs,
        }),
      );
    }
    results['scale'] = Object.fromEntries(
      consoles.map((c, i) => [c.name, { render: renders[i], poll: polls[i] }]),
    );
    consoles.forEach((c, i) => {
      const render = renders[i];
      const poll = polls[i];
      if (!render || !poll) return;
      const who = c.name === 'console' ? '' : `, ${c.name} (${compare ?? ''})`;
      const floorCount = render.floorData.median;
      sections.push({
        title: `4. Scale${who} (${render.resources} cards, ${render.statusItems} status rows drawn; ${poll.sensors} sensors at 0.5 s)`,
        rows: [
          {
            measure: 'Navigation -> connected',
            value: spread(render.connected),
            peer: `floor ${spread(render.floorConnected)}`,
            ratio: ratio(render.connected.median, render.floorConnected.median),
          },
          {
            measure: 'Navigation -> first status',
            value: spread(render.firstStatus),
            peer: `floor count ${spread(render.floorData)}`,
            ratio: ratio(render.firstStatus.median, floorCount),
            target: `<= ${T.firstStatus}x floor`,
            pass: render.firstStatus.median <= T.firstStatus * floorCount,
          },
          {
            measure: 'Navigation -> every on-screen card showing data',
            value: spread(render.screenData),
            peer: `floor count ${spread(render.floorData)}`,
            ratio: ratio(render.screenData.median, floorCount),
            target: `<= ${T.screenData}x floor`,
            pass: render.screenData.median <= T.screenData * floorCount,
          },
          {
            measure: 'Navigation -> status rows drawn (last grew)',
            value: spread(render.statusList),
            peer: `floor count ${spread(render.floorData)}`,
            ratio: ratio(render.statusList.median, floorCount),
          },
          {
            measure: 'Navigation -> every card frame',
            value: spread(render.cardFrames),
            peer: `floor count ${spread(render.floorData)}`,
            ratio: ratio(render.cardFrames.median, floorCount),
          },
          {
            measure: 'Navigation -> cards made (last grew)',
            value: spread(render.cardsLoaded),
            peer: `floor count ${spread(render.floorData)}`,
            ratio: ratio(render.cardsLoaded.median, floorCount),
          },
          {
            measure: 'Longest task during the load / long tasks until on-screen data',
            value: `${ms(render.longestTask.max)} / ${ms(render.longTaskTotal.median)}`,
            target: `none > ${T.longTaskMs} ms`,
            pass: render.longestTask.max <= T.longTaskMs,
          },
          {
            measure: `Sensors polled / rate (${poll.windowS.toFixed(0)} s)`,
            value: `${poll.polledSensors} / ${poll.rateHz.toFixed(2)} Hz each`,
            target: `${poll.sensors} at >= ${T.hz} Hz`,
            pass: poll.polledSensors === poll.sensors && poll.rateHz >= T.hz,
          },
          {
            measure: 'Most requests in flight for one resource',
            value: String(poll.maxInFlightPerResource),
            target: '1',
            pass: poll.maxInFlightPerResource === 1,
          },
          {
            measure: `Requests sent by the page while hidden (${poll.hiddenS.toFixed(0)} s), polls`,
            value: String(poll.hiddenSentPolls),
            peer:
              Object.entries(poll.hiddenSends)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ') || 'none',
            target: '0',
            pass: poll.hiddenSentPolls === 0,
          },
          {
            measure: '  requests reaching the machine > 20 ms after hiding, polls',
            value: String(poll.hiddenPolls),
            peer:
              Object.entries(poll.hiddenCalls)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ') || 'none',
          },
          {
            measure: 'Main thread busy while polling (CDP TaskDuration / wall)',
            value: pct(poll.busyShare),
            peer: `floor idle ${pct(poll.floorBusyShare)}`,
            target: `<= ${pct(T.busy)}`,
            pass: poll.busyShare <= T.busy,
          },
          {
            measure: 'Longest task while polling',
            value: ms(poll.longestTask),
            target: `none > ${T.longTaskMs} ms`,
            pass: poll.longestTask <= T.longTaskMs,
          },
          { measure: 'Main thread in long tasks', value: pct(poll.longTaskShare) },
          {
            measure: 'GetReadings at machine, median (p99)',
            value: `${ms(poll.readingsLatency.median)} (${ms(poll.readingsLatency.p99)})`,
          },
        ],
        notes: [
          `polling viewport ${poll.viewport.width}x${poll.viewport.height}, ${poll.onScreen} cards wholly on screen`,
          `main thread while polling, self time: ${poll.profile
            .slice(0, 8)
            .map((p) => `${p.fn} ${(p.share * 100).toFixed(0)} %`)
            .join('; ')}`,
          `main thread while polling, by trace event (share of wall time): ${poll.trace
            .slice(0, 10)
            .map((p) => `${p.fn} ${(p.share * 100).toFixed(1)} %`)
            .join('; ')}`,
        ],
      });
    });
  }
  if (phases.has('deadman')) {
    const presses = Math.max(10, Math.round(settings.presses / 4));
    log(
      `dead-man under load: ${presses} releases with 100 sensors at 0.5 s and live video, and on the idle rover`,
    );
    await sim.start('loaded');
    const stalls = (from: number, to: number) => sim.stallsBetween(from, to);
    const idleProcess = new Bystander();
    await idleProcess.start();
    const bystander = (from: number, to: number) => idleProcess.stallsBetween(from, to);
    let loaded: DeadmanResult;
    let idle: DeadmanResult;
    try {
      loaded = await releaseUnderLoad(browser, APP_URL, { presses, loaded: true, stalls, bystander });
      await sim.start('rover');
      idle = await releaseUnderLoad(browser, APP_URL, { presses, loaded: false, stalls, bystander });
    } finally {
      await idleProcess.stop();
    }
    results['deadman'] = { loaded, idle };
    sections.push({
      title: '4b. Dead-man under load (rover + 100 sensors at 0.5 s + live video)',
      rows: [
        {
          measure: 'Key release -> Stop at machine, median (max) [n]',
          value: `${ms(loaded.stop.median)} (${ms(loaded.stop.max)}) [${loaded.stop.n}${loaded.stop.missed ? `, ${loaded.stop.missed} missed` : ''}${loaded.refused ? `; ${loaded.refused} presses refused` : ''}]`,
          peer: `idle rover ${ms(idle.stop.median)} (${ms(idle.stop.max)})`,
          ratio: ratio(loaded.stop.median, idle.stop.median),
          target: 'max < 100 ms',
          pass: loaded.stop.n > 0 && loaded.stop.missed === 0 && loaded.stop.max < 100,
        },
        {
          measure: '  of which the page: release -> Stop on the data channel, median (max); slowest release',
          value: `${ms(loaded.pageStop.median)} (${ms(loaded.pageStop.max)}); ${ms(loaded.slowest.page)} of ${ms(loaded.slowest.total)}`,
          peer: `idle rover ${ms(idle.pageStop.median)} (${ms(idle.pageStop.max)})`,
        },
        {
          measure:
            '  of which the release waited for the main thread (its event to its handler), median (max)',
          value: `${ms(loaded.inputWait.median)} (${ms(loaded.inputWait.max)})`,
          peer: `idle rover ${ms(idle.inputWait.median)} (${ms(idle.inputWait.max)})`,
        },
        {
          measure: "  the page's longest task over the presses; the longest during the slowest release",
          value: `${ms(loaded.pageLongest)}; ${ms(loaded.slowestLongTask)}`,
          peer: `idle rover ${ms(idle.pageLongest)}`,
        },
        {
          measure: '  the load meanwhile: sensor polls, video',
          value: `${loaded.sensorHz.toFixed(2)} Hz each, ${loaded.videoFps.toFixed(1)} fps`,
          peer: `idle rover: ${idle.videoFps.toFixed(1)} fps`,
        },
        ...(loaded.sim && idle.sim
          ? [
              {
                measure:
                  '  the simulated machine meanwhile: event-loop stalls > 50 ms (longest), CPU it had in them',
                value: `${loaded.sim.over50} (${ms(loaded.sim.longestMs)}), ${(100 * loaded.sim.cpuShare).toFixed(0)} %`,
                peer: `idle rover ${idle.sim.over50} (${ms(idle.sim.longestMs)})`,
              },
              {
                measure:
                  '  releases over 50 ms, those with the sim stalled half their time or more; slowest: stalled',
                value: `${loaded.sim.slowReleases}, ${loaded.sim.slowReleasesStalled}; ${ms(loaded.sim.slowestStalledMs)} of ${ms(loaded.stop.max)}`,
                peer: `idle rover ${idle.sim.slowReleases}, ${idle.sim.slowReleasesStalled}`,
              },
            ]
          : []),
        ...(loaded.bystander && idle.bystander
          ? [
              {
                measure:
                  '  a process that does nothing, meanwhile: stalls > 50 ms (longest); releases over 50 ms it was stalled half of',
                value: `${loaded.bystander.over50} (${ms(loaded.bystander.longestMs)}); ${loaded.bystander.slowReleasesStalled} of ${loaded.bystander.slowReleases}`,
                peer: `idle rover ${idle.bystander.over50} (${ms(idle.bystander.longestMs)})`,
              },
            ]
          : []),
      ],
      notes: [
        'A press is refused when the console would not drive then (the connection between a missed check and the next, a session starting): nothing moved, so its release sends no Stop and is left out of the Stop times, and counted as refused.',
        'A stall of the simulated machine is a stretch of over 25 ms in which its event loop did not get back to its timers (a 10 ms ticker came late): one long piece of work if the process had about as much CPU meanwhile; with little, the process was not running (a higher priority, --sim-nice -10, did not remove those on this VM). The bystander is a process beside it that only watches its own loop the same way: its stalls come from the cores of the host being oversubscribed, not from any work of its own.',
      ],
    });
  }
  if (phases.has('soak')) {
    log(`soak: ${settings.soakMs / 1000} s of driving with polling and video`);
    await sim.start('rover');
    const r = await soak(browser, urls, settings.soakMs);
    results['soak'] = r;
    const first = r.samples[0];
    const last = r.samples.at(-1);
    sections.push({
      title: `5. Soak (${Math.round(r.durationS)} s, rover)`,
      rows: [
        {
          measure: 'JS heap after GC: start -> end',
          value: `${mb(r.heapStartMB)} -> ${mb(r.heapEndMB)}`,
          peer: `floor ${mb(r.floorStartMB)} -> ${mb(r.floorEndMB)}`,
        },
        {
          measure: 'JS heap growth',
          value: `${r.growthMB >= 0 ? '+' : ''}${mb(r.growthMB)} (${r.growthPct.toFixed(1)} %)`,
          peer: `floor ${mb(r.floorEndMB - r.floorStartMB)}`,
        },
        { measure: 'Heap trend (least squares)', value: `${r.slopeMBPerMin.toFixed(2)} MB/min` },
        {
          measure: 'DOM nodes / JS listeners: start -> end',
          value: `${first?.nodes ?? 0} / ${first?.listeners ?? 0} -> ${last?.nodes ?? 0} / ${last?.listeners ?? 0}`,
        },
        {
          // A held motion is sent once per change and checked (IsMoving) at ~10 Hz, never re-sent:
          // a re-send would undo another operator's STOP.
          measure: 'Drive commands at machine while held / base IsMoving checks',
          value: `${r.driveRateHz.toFixed(1)} Hz / ${r.baseChecksHz.toFixed(1)} /s`,
          target: 'one per key change / ~10 /s',
        },
        { measure: 'Reads at machine', value: `${r.readsPerS.toFixed(1)} /s` },
        { measure: 'Camera', value: `${r.cameraMode}, ${r.videoFrames} frames decoded` },
      ],
    });
  }
  if (phases.has('logs')) {
    if (sim.kind !== 'rover') await sim.start('rover');
    log(`logs: first status with the panel open and closed, ${settings.loads} loads each`);
    const loads = await loadTimes(
      browser,
      [
        { name: 'closed', url: APP_URL, kind: 'app' },
        { name: 'open', url: APP_URL, kind: 'app', init: logsOpenInit },
      ],
      settings.loads,
    );
    const closed = loads['closed'];
    const open = loads['open'];
    if (!closed || !open) throw new Error('logs phase: no load samples');
    log('logs: 10,000 lines of history read into the panel and filtered');
    const history = await logsHistory(browser, APP_URL, 10_000);
    log(`logs: tail at 50 lines/s for ${settings.tailS} s, beside the console with the panel closed`);
    const tail = await logsTail(browser, APP_URL, 50, settings.tailS);
    results['logs'] = { firstStatus: { closed, open }, history, tail };
    // The page sees only tasks of 50 ms and over: none is not a task of 0 ms.
    const longest = (x: number) => (x === 0 ? 'none >= 50 ms' : ms(x));
    const growth = (s: { heapStartMB: number; heapEndMB: number }) =>
      `${s.heapEndMB - s.heapStartMB >= 0 ? '+' : ''}${mb(s.heapEndMB - s.heapStartMB)}`;
    sections.push({
      title: '6. Logs panel (the simulated cloud, the real SDK)',
      rows: [
        {
          measure: 'Navigation -> first status, panel open',
          value: spread(open.data),
          peer: `panel closed ${spread(closed.data)}`,
          ratio: ratio(open.data.median, closed.data.median),
          target: 'does not move (<= 1.10x)',
          pass: open.data.median <= 1.1 * closed.data.median,
        },
        {
          measure: 'First status -> first page of logs on screen',
          value: ms(history.statusToFirstPage),
          peer: `navigation -> first page ${ms(history.navigationToFirstPage)}`,
        },
        {
          measure: `${history.lines.toLocaleString('en')} lines held: loading time (pages at the top of the list)`,
          value: ms(history.loadAllMs),
        },
        {
          measure: 'Longest task: first page / loading all / filtering / wheel scroll',
          value: [
            history.longestTask.firstPage,
            history.longestTask.loading,
            history.longestTask.filtering,
            history.longestTask.scrolling,
          ]
            .map(longest)
            .join(' / '),
          peer: `scrolled ${history.scrolledLines.toLocaleString('en')} lines`,
        },
        {
          measure: 'Wheel scroll: longest task, CPU time (trace) / its wall time',
          value: `${ms(history.scrollingTrace.cpu)} / ${ms(history.scrollingTrace.wall)}`,
          peer: `filtering, wall ${longest(history.longestTask.filtering)}`,
          target: '<= 50 ms CPU (scrolling); filtering <= 50 ms',
          pass: history.scrollingTrace.cpu <= 50 && history.longestTask.filtering <= 50,
        },
        {
          measure: 'Filter over all lines, typed -> painted (less the 150 ms pause): text / regex (matches)',
          value: `${ms(history.filtered.textMs)} (${history.filtered.text}) / ${ms(history.filtered.regexMs)} (${history.filtered.regex})`,
        },
        {
          measure: `Tail ${tail.rate} lines/s, ${Math.round(tail.durationS)} s: main thread busy`,
          value: pct(tail.open.busyShare),
          peer: `panel closed ${pct(tail.closed.busyShare)}`,
        },
        {
          measure: 'Tail: JS heap after GC, start -> end (growth)',
          value: `${mb(tail.open.heapStartMB)} -> ${mb(tail.open.heapEndMB)} (${growth(tail.open)})`,
          peer: `panel closed ${mb(tail.closed.heapStartMB)} -> ${mb(tail.closed.heapEndMB)} (${growth(tail.closed)})`,
        },
        {
          measure: 'Tail: longest task (tasks >= 50 ms) / frame gaps p50, p99',
          value: `${longest(tail.longestTask)} (${tail.longTasks}) / ${ms(tail.frameGapsMs.median)}, ${ms(tail.frameGapsMs.p99)}`,
          peer: `panel closed ${longest(tail.closedLongestTask)} (${tail.closedLongTasks}) / ${ms(tail.closedFrameGapsMs.median)}, ${ms(tail.closedFrameGapsMs.p99)}`,
        },
        {
          measure: 'Tail: lines held at the end, dropped',
          value: `${tail.held.toLocaleString('en')}, ${tail.dropped}`,
          peer: `${(tail.rate * Math.round(tail.durationS)).toLocaleString('en')} sent`,
          target: 'none dropped at 50/s',
          pass: tail.dropped === 0 && tail.held >= tail.rate * Math.round(tail.durationS) * 0.95,
        },
      ],
    });
  }
  if (phases.has('fleet')) {
    const fleetUrls = {
      app: FLEET_APP_URL,
      floor: FLEET_FLOOR_URL,
      ...(compare === undefined ? {} : { variant: FLEET_VARIANT_URL }),
    };
    log(`fleet: the default fleet, ${settings.loads} fresh loads each of the fleet app and its floor`);
    await sim.start('fleet');
    const small = await fleetLoads(browser, fleetUrls, settings.loads);
    log(`fleet: the rover opened from the list, beside the single-machine app, ${settings.loads} each`);
    const open = await openedVsSingle(browser, { fleet: FLEET_APP_URL, app: APP_URL }, settings.loads);
    log(`fleet: 500 machines, ${settings.loads} fresh loads each`);
    await sim.start('fleet500');
    const big = await fleetLoads(browser, fleetUrls, settings.loads);
    log(`fleet: 500 machines, a jump to the bottom of the list, ${settings.loads} each`);
    const jump = {
      app: await jumpsToBottom(browser, FLEET_APP_URL, 'fleet-list[data-complete]', settings.loads),
      floor: await jumpsToBottom(browser, FLEET_FLOOR_URL, '[data-fleet-count]', settings.loads),
    };
    results['fleet'] = { small, big, jump, open, readListMs: READ_LIST_MS };
    const { fleet, fleetFloor } = builds;
    // The --compare build, beside the same floor in the same interleaved loads.
    const variantRows = (label: string, v: FleetLoadResult, floor: FleetLoadResult) => [
      {
        measure: `${label}, variant: navigation -> list ready`,
        value: spread(v.list),
        peer: `floor ${spread(floor.list)}`,
        ratio: ratio(v.list.median, floor.list.median),
      },
      {
        measure: `${label}, variant: ListMachineSummaries sent / answered`,
        value: `${ms(v.listSent.median)} / ${ms(v.listAnswered.median)}`,
        peer: `floor ${ms(floor.listSent.median)} / ${ms(floor.listAnswered.median)}`,
      },
      {
        measure: `${label}, variant: longest task, answer -> list complete, median (max); tasks > 50 ms`,
        value: `${ms(v.longestTask.median)} (${ms(v.longestTask.max)}); ${v.longTasksOver50}`,
      },
    ];
    const listRows = (
      label: string,
      r: { app: FleetLoadResult; floor: FleetLoadResult; variant?: FleetLoadResult },
      target: boolean,
    ) => [
      {
        measure: `${label}: navigation -> first row`,
        value: spread(r.app.first),
        peer: `floor, whole list ${spread(r.floor.list)}`,
        ratio: ratio(r.app.first.median, r.floor.list.median),
      },
      {
        measure: `${label}: navigation -> list ready (rows on screen painted, every row reachable)`,
        value: spread(r.app.list),
        peer: `floor ${spread(r.floor.list)}`,
        ratio: ratio(r.app.list.median, r.floor.list.median),
        ...(target
          ? { target: '<= 1.25x floor', pass: r.app.list.median <= 1.25 * r.floor.list.median }
          : {}),
      },
      {
        measure: `${label}: ListMachineSummaries sent / answered`,
        value: `${ms(r.app.listSent.median)} / ${ms(r.app.listAnswered.median)}`,
        peer: `floor ${ms(r.floor.listSent.median)} / ${ms(r.floor.listAnswered.median)}`,
      },
      {
        measure: `${label}: longest task, answer -> list complete, median (max); tasks > 50 ms`,
        value: `${ms(r.app.longestTask.median)} (${ms(r.app.longestTask.max)}); ${r.app.longTasksOver50}`,
        peer: `floor ${ms(r.floor.longestTask.median)} (${ms(r.floor.longestTask.max)}); ${r.floor.longTasksOver50}`,
        ...(target ? { target: 'none > 50 ms', pass: r.app.longTasksOver50 === 0 } : {}),
      },
      {
        measure: `${label}: longest task from navigation (start-up included), median`,
        value: ms(r.app.longestTaskFromStart.median),
        peer: `floor ${ms(r.floor.longestTaskFromStart.median)}`,
      },
      ...(r.variant ? variantRows(label, r.variant, r.floor) : []),
    ];
    sections.push({
      title: '7. Fleet app (the simulated cloud, the real SDK)',
      rows: [
        {
          measure: 'Fleet page: initial JS, gzip',
          value: kb(fleet.initialGzip),
          peer: `floor ${kb(fleetFloor.initialGzip)}`,
          ratio: ratio(fleet.initialGzip, fleetFloor.initialGzip),
        },
        ...listRows('Default fleet (6 machines)', small, false),
        ...listRows('500 machines', big, true),
        {
          measure: '500 machines: jump to the bottom -> last row painted',
          value: spread(jump.app),
          peer: `floor (every line in the page) ${spread(jump.floor)}`,
          ratio: ratio(jump.app.median, jump.floor.median),
        },
        {
          measure: `Fleet list -> machine opened -> first status (list read ${READ_LIST_MS / 1000} s)`,
          value: spread(open.opened),
          peer: `single-machine app: navigation -> first status ${spread(open.single)}`,
          ratio: ratio(open.opened.median, open.single.median),
          target: '<= 1.10x',
          pass: open.opened.median <= 1.1 * open.single.median,
        },
      ],
      notes: [
        'The floor is createViamClient + listMachineSummaries writing every line in one pass; the fleet app also looks up organizations and locations, and draws only the rows near the viewport (the rest are padding of their height, drawn as a scroll reaches them).',
        ...(compare === undefined
          ? []
          : [
              `variant: the fleet page built from ${compare}, its loads interleaved with the app's and the floor's`,
            ]),
      ],
    });
  }
  if (phases.has('link')) {
    log('a bad link: the rover through the relay, with loss, delay, a cap, blackouts and flapping');
    await sim.start('rover');
    const lab: Lab = {
      request: (method, path, body) => simRequest(method, path, body),
      calls: () => simCalls(Date.now() - 120_000),
    };
    const targets = [
      { name: 'console', url: APP_URL },
      ...(compare === undefined ? [] : [{ name: 'variant', url: VARIANT_URL }]),
    ];
    const rows: Section['rows'][number][] = [];
    const linkResults: Record<string, unknown> = {};
    const both = (value: (name: string) => string) => ({
      value: value('console'),
      ...(compare === undefined ? {} : { peer: `variant ${value('variant')}` }),
    });
    for (const scenario of PRESS_SCENARIOS.filter((x) => x.name.includes(settings.linkScenarios))) {
      const figures: Record<string, Awaited<ReturnType<typeof pressFigures>>> = {};
      for (const t of targets) {
        log(`  ${scenario.name}: ${t.name}, ${settings.linkPresses} presses`);
        figures[t.name] = await pressFigures(browser, lab, t.url, scenario, settings.linkPresses);
      }
      linkResults[scenario.name] = figures;
      const f = (name: string) => figures[name];
      rows.push(
        {
          measure: `${scenario.name}: key up -> Stop at machine, median / max`,
          ...both(
            (n) =>
              `${ms(f(n)?.stop.median ?? Number.NaN)} / ${ms(f(n)?.stop.max ?? Number.NaN)}${f(n)?.stop.lost ? ` (${f(n)?.stop.lost} lost)` : ''}`,
          ),
        },
        {
          measure: `  keydown -> SetPower, median / max`,
          ...both(
            (n) => `${ms(f(n)?.setPower.median ?? Number.NaN)} / ${ms(f(n)?.setPower.max ?? Number.NaN)}`,
          ),
        },
        {
          measure: `  header: RTT median / max, link shown as, not connected`,
          ...both(
            (n) =>
              `${ms(f(n)?.header.medianRtt ?? Number.NaN)} / ${ms(f(n)?.header.maxRtt ?? Number.NaN)}, ${f(n)?.qualities.join('+') || '—'}, ${f(n)?.header.notConnected ?? 0} samples`,
          ),
        },
      );
    }
    const outages = [
      { name: '3 s blackout', outage: { blackoutMs: 3000 } },
      { name: '30 s blackout', outage: { blackoutMs: 30_000 } },
      { name: '75 s blackout', outage: { blackoutMs: 75_000 } },
      {
        name: 'flapping 0.5 s up / 0.5 s down for 60 s',
        outage: { flap: { upMs: 500, downMs: 500, forMs: 60_000 } },
      },
    ];
    for (const { name, outage } of outages.filter((x) => x.name.includes(settings.linkScenarios))) {
      const figures: Record<string, Awaited<ReturnType<typeof outageFigures>>> = {};
      for (const t of targets) {
        log(`  ${name} while driving: ${t.name}`);
        figures[t.name] = await outageFigures(browser, lab, t.url, outage);
      }
      linkResults[name] = figures;
      const f = (n: string) => figures[n];
      rows.push(
        {
          measure: `${name}, driving: "reconnecting" shown after / machine stopped the base after`,
          ...both(
            (n) => `${ms(f(n)?.toReconnecting ?? Number.NaN)} / ${ms(f(n)?.toMachineStop ?? Number.NaN)}`,
          ),
          target: '< 3 s / within the heartbeat window',
        },
        {
          measure: `  connected again after the link returned`,
          ...both((n) => ms(f(n)?.toConnectedAfter ?? Number.NaN)),
          target: '< 2 s',
          pass: (f('console')?.toConnectedAfter ?? Number.POSITIVE_INFINITY) < 2000,
        },
        {
          measure: `  SetPower after the outage began without a new press / moving after`,
          ...both((n) => `${f(n)?.motionAfter ?? '—'} / ${f(n)?.movedAfter ? 'yes' : 'no'}`),
          target: '0 / no',
          pass: f('console')?.motionAfter === 0 && f('console')?.movedAfter === false,
        },
      );
    }
    results['link'] = linkResults;
    sections.push({
      title: '8. A bad link (rover, through the UDP relay)',
      rows,
      notes: [
        'Stop delays read off the machine’s call log; the data channel is one ordered, reliable SCTP stream, so a lost datagram holds what follows it until retransmitted.',
        ...(compare === undefined
          ? []
          : [`variant: the console built from ${compare}, each scenario run on both back to back`]),
      ],
    });
  }
} finally {
  await browser.close();
  await sim.stop();
  await servers.close();
}

const durationS = Math.round((performance.now() - started) / 1000);
results['durationS'] = durationS;
const machine = results['machine'] as ReturnType<typeof machineInfo>;
const table = renderTable(sections);
console.log('');
console.log(
  `Viam Machine Console benchmark, ${machine.date.slice(0, 10)}: ${machine.nproc} cores (${machine.cpu}), ` +
    `Chromium ${machine.chromium}, Node ${machine.node}, commit ${machine.commit}${machine.dirty ? ' (dirty tree)' : ''}` +
    `${quick ? ', --quick' : ''}${compare === undefined ? '' : `, variant from ${compare}`}` +
    `${simNice === undefined ? '' : `, the simulated machine at nice ${simNice} (a diagnostic)`}; ${durationS} s`,
);
console.log('');
console.log(table);
mkdirSync(`${ROOT}bench-results`, { recursive: true });
const file = `${ROOT}bench-results/bench-${machine.date.replace(/[:.]/g, '-')}.json`;
writeFileSync(file, `${JSON.stringify({ ...results, table }, null, 2)}\n`);
console.log(`\nresults: ${file}`);
