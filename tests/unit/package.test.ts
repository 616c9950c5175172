import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Builds and packages the module (both apps) once, then inspects the archive as `viam module upload` sends it. */
describe('module.tar.gz', () => {
  execFileSync('npx', ['tsx', 'tests/dev/package-module.ts'], { stdio: 'pipe' });
  const list = (): string[] =>
    execFileSync('tar', ['-tzf', 'module.tar.gz'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l !== '' && !l.endsWith('/'));
  const files = list();
  const read = (path: string): string =>
    execFileSync('tar', ['-xzOf', 'module.tar.gz', path], { encoding: 'utf8' });
  const meta = JSON.parse(readFileSync('meta.json', 'utf8')) as {
    applications: { name: string; entrypoint: string }[];
  };
  const entrypoints = meta.applications.map((a) => a.entrypoint);

  it('holds meta.json and the entrypoint of every app', () => {
    expect(files).toContain('meta.json');
    expect(entrypoints).toEqual(['dist/index.html', 'dist/fleet.html']);
    for (const entrypoint of entrypoints) expect(files).toContain(entrypoint);
    expect(files.every((f) => f === 'meta.json' || f.startsWith('dist/'))).toBe(true);
  });

  it.each(entrypoints)('every asset %s references is in the archive, by a relative URL', (entrypoint) => {
    const html = read(entrypoint);
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref, `${ref} must be relative`).toMatch(/^\.\//);
      expect(files).toContain(`dist/${ref.slice(2)}`);
    }
  });

  it.each(entrypoints)('%s carries the CSP: network to the Viam cloud origin only', (entrypoint) => {
    const html = read(entrypoint);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    const directives = csp.replace(/&#39;/g, "'").split('; ');
    // The Viam cloud's origin, and blob: (the page's own data, never the network).
    expect(directives).toContain('connect-src https://app.viam.com blob:');
    expect(directives).toContain("script-src 'self'");
    expect(directives).toContain("default-src 'self'");
  });

  it('no built file uses an absolute asset URL', () => {
    for (const file of files.filter((f) => /\.(js|css|html)$/.test(f))) {
      const text = read(file);
      expect(text, file).not.toMatch(/["'(]\/assets\//);
    }
  });

  it('the production build signals and lists via app.viam.com and carries no simulated machine or user', () => {
    const js = files
      .filter((f) => f.endsWith('.js'))
      .map(read)
      .join('\n');
    expect(js).toContain('https://app.viam.com:443');
    // The fleet's app API address: the origin alone, as createViamClient's serviceHost.
    expect(js).toMatch(/["'`]https:\/\/app\.viam\.com["'`]/);
    // localhost:8012 is allowed: the sign-in screen names the Viam CLI's fixed local-app-testing port.
    expect(js).not.toMatch(/sim-api-key|sim-user-token|werift|__sim\/|localhost:(?!8012\b)\d/);
  });
});
