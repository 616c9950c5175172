import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Builds and packages the module once, then inspects the archive as `viam module upload` sends it. */
describe('module.tar.gz', () => {
  execFileSync('npx', ['tsx', 'tests/dev/package-module.ts'], { stdio: 'pipe' });
  const list = (): string[] =>
    execFileSync('tar', ['-tzf', 'module.tar.gz'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l !== '' && !l.endsWith('/'));
  const files = list();
  const read = (path: string): string =>
    execFileSync('tar', ['-xzOf', 'module.tar.gz', path], { encoding: 'utf8' });
  const meta = JSON.parse(readFileSync('meta.json', 'utf8')) as { applications: { entrypoint: string }[] };
  const entrypoint = meta.applications[0]?.entrypoint ?? '';

  it('holds meta.json and the entrypoint', () => {
    expect(files).toContain('meta.json');
    expect(files).toContain(entrypoint);
    expect(files.every((f) => f === 'meta.json' || f.startsWith('dist/'))).toBe(true);
  });

  it('every asset the entrypoint references is in the archive, by a relative URL', () => {
    const html = read(entrypoint);
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref, `${ref} must be relative`).toMatch(/^\.\//);
      expect(files).toContain(`dist/${ref.slice(2)}`);
    }
  });

  it('no built file uses an absolute asset URL', () => {
    for (const file of files.filter((f) => /\.(js|css|html)$/.test(f))) {
      const text = read(file);
      expect(text, file).not.toMatch(/["'(]\/assets\//);
    }
  });

  it('the production build signals via app.viam.com and carries no simulated machine', () => {
    const js = files
      .filter((f) => f.endsWith('.js'))
      .map(read)
      .join('\n');
    expect(js).toContain('https://app.viam.com:443');
    expect(js).not.toMatch(/sim-api-key|werift|__sim\//);
  });
});
