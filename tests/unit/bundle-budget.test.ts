/**
 * The initial JS the console makes a browser download (gzip), against a fixed budget. Deterministic:
 * the same sources and lockfile give the same bytes. `npm run bench` sets it against the floor page
 * (createRobotClient alone) built in the same run; this only stops it from growing unnoticed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { measureBundle, type BuiltChunk } from '../bench/bundle.ts';

/** gzip bytes; about 70,500 measured on 2026-11-26 after lazy-loading the dashboard (80,087 before; the floor: 52,077; the target 1.25x floor is 65,096). */
const INITIAL_GZIP_BUDGET = 74 * 1024;

const outDir = mkdtempSync(join(tmpdir(), 'bundle-budget-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('bundle budget', () => {
  it('keeps the initial JS (gzip) within budget', { timeout: 120_000 }, async () => {
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
    const chunks = (first.output ?? []).filter((o): o is BuiltChunk => o.type === 'chunk');
    const report = measureBundle(outDir, chunks);
    expect(report.initial.length).toBeGreaterThan(0);
    expect(report.initialGzip).toBeLessThanOrEqual(INITIAL_GZIP_BUDGET);
  });
});
