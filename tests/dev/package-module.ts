/**
 * `npm run package`: builds both apps for production and writes module.tar.gz with meta.json and dist/,
 * as `viam module upload --upload module.tar.gz --platform any --version <semver>` expects.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

// A production build of both pages: signaling and the app API via app.viam.com whatever this shell
// has set (the build ignores .env files; see vite.config.ts).
execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
  stdio: 'inherit',
  env: { ...process.env, VIAM_SIGNALING_ADDRESS: '', VIAM_CLOUD_ADDRESS: '' },
});

const meta = JSON.parse(readFileSync('meta.json', 'utf8')) as { applications?: { entrypoint?: string }[] };
for (const app of meta.applications ?? []) {
  if (!app.entrypoint || !existsSync(app.entrypoint)) {
    throw new Error(`meta.json entrypoint ${String(app.entrypoint)} is not in the build`);
  }
}
// Sorted, owner-less, deterministic archive of exactly what the platform serves.
execFileSync(
  'tar',
  [
    '--sort=name',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--mtime=@0',
    '-czf',
    'module.tar.gz',
    'meta.json',
    'dist',
  ],
  { stdio: 'inherit', env: { ...process.env, GZIP: '-n' } },
);
console.log('wrote module.tar.gz');
