import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The platform's rules for a public, app-only module's meta.json (see shared/viam-platform.md §1). */
function metaProblems(meta: unknown): string[] {
  const problems: string[] = [];
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return ['meta.json is not an object'];
  const m = meta as Record<string, unknown>;
  const moduleId = m['module_id'];
  if (typeof moduleId !== 'string' || !/^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9_-]*$/.test(moduleId)) {
    problems.push('module_id must be "<namespace>:<name>"');
  }
  if (m['visibility'] !== 'public')
    problems.push('visibility must be "public" for a module that hosts an application');
  for (const field of ['url', 'description']) {
    if (typeof m[field] !== 'string' || m[field] === '') problems.push(`${field} must be a non-empty string`);
  }
  const models = m['models'];
  if (models !== undefined && !(Array.isArray(models) && models.length === 0))
    problems.push('an app-only module has no models');
  const entrypoint = m['entrypoint'];
  if (entrypoint !== undefined && entrypoint !== '')
    problems.push('an app-only module has no module entrypoint');
  const apps = m['applications'];
  if (!Array.isArray(apps) || apps.length === 0)
    return [...problems, 'applications must be a non-empty array'];
  const namespace = typeof moduleId === 'string' ? (moduleId.split(':')[0] ?? '') : '';
  const seenNames = new Set<unknown>();
  const seenEntrypoints = new Set<unknown>();
  for (const [i, app] of apps.entries()) {
    const a = app as Record<string, unknown>;
    const name = a['name'];
    if (typeof name !== 'string' || !/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(name)) {
      problems.push(`applications[${i}].name must be lowercase a-z, 0-9 and "-", not at either end`);
    } else if (`${name}_${namespace}`.length > 63) {
      // Served at https://<name>_<namespace>.viamapplications.com: one DNS label.
      problems.push(`applications[${i}].name with the namespace must fit one DNS label (63 characters)`);
    }
    if (seenNames.has(name)) problems.push(`applications[${i}].name is used twice`);
    seenNames.add(name);
    if (seenEntrypoints.has(a['entrypoint'])) problems.push(`applications[${i}].entrypoint is used twice`);
    seenEntrypoints.add(a['entrypoint']);
    if (a['type'] !== 'single_machine' && a['type'] !== 'multi_machine')
      problems.push(`applications[${i}].type`);
    const ep = a['entrypoint'];
    if (
      typeof ep !== 'string' ||
      ep === '' ||
      ep.startsWith('/') ||
      ep.includes('..') ||
      /^[a-z]+:/i.test(ep)
    ) {
      problems.push(`applications[${i}].entrypoint must be a relative path inside the archive`);
    } else if (!ep.endsWith('.html')) {
      problems.push(`applications[${i}].entrypoint must be an HTML file`);
    }
    const fragmentIds = a['fragmentIds'];
    if (fragmentIds !== undefined) {
      if (!Array.isArray(fragmentIds) || !fragmentIds.every((f) => typeof f === 'string' && f !== '')) {
        problems.push(`applications[${i}].fragmentIds must be an array of strings`);
      }
      if (a['type'] !== 'single_machine')
        problems.push(`applications[${i}].fragmentIds is for single-machine apps only`);
    }
    const orgs = a['allowedOrgIds'];
    if (orgs !== undefined && (!Array.isArray(orgs) || !orgs.every((o) => typeof o === 'string'))) {
      problems.push(`applications[${i}].allowedOrgIds must be an array of strings`);
    }
    const logo = a['logoPath'];
    if (logo !== undefined && (typeof logo !== 'string' || logo === ''))
      problems.push(`applications[${i}].logoPath must be a string`);
    // A multi-machine app has no machine picker: its logo and picker texts would never show.
    if (a['type'] === 'multi_machine' && (logo !== undefined || a['customizations'] !== undefined))
      problems.push(`applications[${i}] logoPath and customizations are for single-machine apps only`);
    const picker = (a['customizations'] as Record<string, unknown> | undefined)?.['machinePicker'] as
      Record<string, unknown> | undefined;
    const heading = picker?.['heading'];
    const subheading = picker?.['subheading'];
    if (heading !== undefined && (typeof heading !== 'string' || heading.length > 60)) {
      problems.push(`applications[${i}] machinePicker.heading must be a string of at most 60 characters`);
    }
    if (subheading !== undefined && (typeof subheading !== 'string' || subheading.length > 256)) {
      problems.push(`applications[${i}] machinePicker.subheading must be a string of at most 256 characters`);
    }
  }
  return problems;
}

const meta = JSON.parse(readFileSync('meta.json', 'utf8')) as {
  applications: { name: string; type: string; entrypoint: string; logoPath?: string }[];
};

describe('meta.json', () => {
  it('follows the platform rules for a public app-only module', () => {
    expect(metaProblems(meta)).toEqual([]);
  });

  it('holds the single-machine app (built index.html) and the fleet app (built fleet.html)', () => {
    expect(meta.applications).toHaveLength(2);
    expect(meta.applications[0]).toMatchObject({ type: 'single_machine', entrypoint: 'dist/index.html' });
    expect(meta.applications[1]).toMatchObject({ type: 'multi_machine', entrypoint: 'dist/fleet.html' });
    expect(meta.applications[1]?.name).not.toBe(meta.applications[0]?.name);
  });

  it('the rules catch what the platform refuses', () => {
    const good = JSON.parse(readFileSync('meta.json', 'utf8')) as Record<string, unknown>;
    const app = (meta.applications[0] ?? {}) as Record<string, unknown>;
    const withApp = (patch: Record<string, unknown>) => ({ ...good, applications: [{ ...app, ...patch }] });
    expect(metaProblems({ ...good, visibility: 'private' })).toHaveLength(1);
    expect(metaProblems({ ...good, module_id: 'NoColon' })).toHaveLength(1);
    expect(metaProblems(withApp({ name: '-bad-' }))).toHaveLength(1);
    expect(metaProblems(withApp({ name: 'Upper' }))).toHaveLength(1);
    expect(metaProblems(withApp({ type: 'desktop' }))).toHaveLength(1);
    expect(metaProblems(withApp({ entrypoint: '/dist/index.html' }))).toHaveLength(1);
    expect(metaProblems(withApp({ entrypoint: '../index.html' }))).toHaveLength(1);
    expect(metaProblems(withApp({ fragmentIds: 'abc' }))).toHaveLength(1);
    expect(metaProblems(withApp({ fragmentIds: ['f-1'] }))).toEqual([]);
    expect(metaProblems(withApp({ logoPath: 7 }))).toHaveLength(1);
    expect(
      metaProblems(withApp({ customizations: { machinePicker: { heading: 'x'.repeat(61) } } })),
    ).toHaveLength(1);
    expect(
      metaProblems(withApp({ customizations: { machinePicker: { subheading: 'x'.repeat(257) } } })),
    ).toHaveLength(1);
    expect(metaProblems({ ...good, models: [{ api: 'x', model: 'y' }] })).toHaveLength(1);

    const [single, fleet] = meta.applications as unknown as Record<string, unknown>[];
    const withApps = (...list: Record<string, unknown>[]) => ({ ...good, applications: list });
    expect(metaProblems(withApps(single ?? {}, fleet ?? {}))).toEqual([]);
    expect(metaProblems(withApps(single ?? {}, { ...fleet, name: single?.['name'] }))).toHaveLength(1);
    expect(metaProblems(withApps(single ?? {}, { ...fleet, entrypoint: 'dist/index.html' }))).toHaveLength(1);
    expect(metaProblems(withApps(single ?? {}, { ...fleet, fragmentIds: ['f-1'] }))).toHaveLength(1);
    expect(metaProblems(withApps(single ?? {}, { ...fleet, logoPath: 'logo.png' }))).toHaveLength(1);
    expect(metaProblems(withApps(single ?? {}, { ...fleet, name: 'f'.repeat(60) }))).toHaveLength(1);
    expect(metaProblems(withApps(single ?? {}, { ...fleet, entrypoint: 'dist/fleet' }))).toHaveLength(1);
  });
});
