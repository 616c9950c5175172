/**
 * The initial JS each page makes a browser download (gzip), against a fixed budget. Deterministic:
 * the same sources and lockfile give the same bytes. `npm run bench` sets it against the floor page
 * (createRobotClient alone) built in the same run; this only stops it from growing unnoticed.
 *
 * One build makes both pages (as `vite build` does), and each page is measured the same way: its
 * HTML's eager scripts plus everything they import statically, whichever chunk holds it, so code
 * the two pages share counts for both.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureBundle, type BuiltChunk } from '../bench/bundle.ts';

/**
 * gzip bytes; about 59,100 measured on 2026-12-06, since the entry only dials (the SDK, the cookie
 * reader) and the console's code follows during the dial (about 72,400 before; 80,087 before the
 * dashboard was lazy; the floor: about 52,000).
 */
const INITIAL_GZIP_BUDGET = 60 * 1024;
/**
 * The fleet page: its own copy of the SDK (the app API client, see cloudSdkPlugin in vite.config.ts)
 * and the list; the console is fetched after the list is shown. About 93,600 on 2026-12-01; 98,511
 * on 2026-12-07 with the list's answer decoded a run of machines per task (src/cloud/fleet-summaries.ts);
 * 99,657 later that day with its own reader of the answer (src/lib/summary-decode.ts) and names
 * compared without ICU where that is exact (src/lib/collate.ts: making a collator took 8-15 ms of
 * the page's start-up, before the list request could leave). About 76,600 on 2026-12-08, since the
 * entry only asks for the list (the SDK's app API, the cookie readers, the answer's reader) and
 * imports the list's interface once the request is out (src/apps/fleet/mount.ts).
 */
const FLEET_INITIAL_GZIP_BUDGET = 77 * 1024;

const outDir = mkdtempSync(join(tmpdir(), 'bundle-budget-'));
let chunks: BuiltChunk[] = [];

beforeAll(async () => {
  // Vitest runs with NODE_ENV=test, which would make Vite build development code: build as `vite build` does.
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  let output: Awaited<ReturnType<typeof build>>;
  try {
    output = await build({ logLevel: 'silent', mode: 'production', build: { outDir, emptyOutDir: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = nodeEnv;
  }
  const first = (Array.isArray(output) ? (output[0] as unknown) : output) as {
    output?: readonly { type: string }[];
  };
  chunks = (first.output ?? []).filter((o): o is BuiltChunk => o.type === 'chunk');
}, 120_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('bundle budget', () => {
  it('keeps the initial JS (gzip) within budget', () => {
    const report = measureBundle(outDir, chunks);
    expect(report.initial.length).toBeGreaterThan(0);
    expect(report.initialGzip).toBeLessThanOrEqual(INITIAL_GZIP_BUDGET);
  });

  it('keeps the fleet page’s initial JS (gzip) within its budget', () => {
    const report = measureBundle(outDir, chunks, 'fleet.html');
    expect(report.initial.length).toBeGreaterThan(0);
    expect(report.initialGzip).toBeLessThanOrEqual(FLEET_INITIAL_GZIP_BUDGET);
  });

  it('the single-machine page carries none of the fleet: no app API client, no list', () => {
    const machine = measureBundle(outDir, chunks);
    const code = machine.initial.map((c) => readFileSync(join(outDir, c.file), 'utf8')).join('\n');
    expect(code).toContain('RobotService');
    expect(code).not.toMatch(/ListMachineSummaries|AppService|fleet-list|fleet-app|userToken/);
    // ...while the fleet page has it, and reaches the console only when a machine is opened.
    const fleet = measureBundle(outDir, chunks, 'fleet.html');
    const fleetCode = fleet.initial.map((c) => readFileSync(join(outDir, c.file), 'utf8')).join('\n');
    expect(fleetCode).toContain('ListMachineSummaries');
    expect(fleetCode).not.toMatch(/RobotService\/GetMachineStatus|machine-dashboard/);
  });
});
