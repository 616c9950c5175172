/**
 * The shape of src/, read from its imports: arrows only point down. Entry folders (src/apps/*) may
 * use everything; the console shell (src/console) uses cards, widgets, controllers and lib; cards,
 * widgets and controllers never reach up into the shell or an app; lib imports nothing but lib (no
 * elements, controllers or Lit); and no module imports itself through a cycle.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = 'src';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Import {
  readonly from: string;
  /** Resolved path inside src/, or the bare package name. */
  readonly to: string;
  readonly local: boolean;
  /** `import type` (erased at build) or a dynamic import(). */
  readonly typeOnly: boolean;
  readonly dynamic: boolean;
}

/** Static imports and re-exports, type-only ones marked, plus dynamic import() calls. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean, dynamic: boolean) => {
    const local = specifier.startsWith('.');
    const to = local ? normalize(join(dirname(file), specifier)) : specifier;
    found.push({ from: file, to, local, typeOnly, dynamic });
  };
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]/gm)) {
    add(m[3] ?? '', m[2] !== undefined, false);
  }
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) add(m[1] ?? '', false, false);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1] ?? '', false, true);
  return found;
}

const files = sourceFiles(SRC);
const imports = files.flatMap(importsOf);
const layer = (path: string): string => relative(SRC, path).split('/')[0] ?? '';

describe('src/ layout', () => {
  it('reads a real import graph', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(imports.filter((i) => i.local).length).toBeGreaterThan(100);
    // Every local import names a file that exists.
    for (const i of imports.filter((x) => x.local))
      expect(existsSync(i.to), `${i.from} -> ${i.to}`).toBe(true);
  });

  it('cards, widgets, controllers and lib never import the console shell or an app', () => {
    const offenders = imports.filter(
      (i) =>
        i.local &&
        ['cards', 'widgets', 'controllers', 'lib'].includes(layer(i.from)) &&
        ['console', 'apps'].includes(layer(i.to)),
    );
    expect(offenders.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('the console shell never imports an app', () => {
    const offenders = imports.filter((i) => i.local && layer(i.from) === 'console' && layer(i.to) === 'apps');
    expect(offenders.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('one app never imports the other', () => {
    const appOf = (path: string) => relative(join(SRC, 'apps'), path).split('/')[0];
    const offenders = imports.filter(
      (i) => i.local && layer(i.from) === 'apps' && layer(i.to) === 'apps' && appOf(i.from) !== appOf(i.to),
    );
    expect(offenders.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('lib imports only lib: no elements, controllers, styles or Lit', () => {
    const offenders = imports.filter(
      (i) => layer(i.from) === 'lib' && (i.local ? layer(i.to) !== 'lib' : /^(lit|@lit\/)/.test(i.to)),
    );
    expect(offenders.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('widgets never import cards', () => {
    const offenders = imports.filter(
      (i) => i.local && layer(i.from) === 'widgets' && layer(i.to) === 'cards',
    );
    expect(offenders.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('has no import cycles (type-only imports included: they still tie modules together)', () => {
    const graph = new Map<string, string[]>();
    for (const i of imports.filter((x) => x.local)) graph.set(i.from, [...(graph.get(i.from) ?? []), i.to]);
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (node: string): void => {
      state.set(node, 'visiting');
      stack.push(node);
      for (const next of graph.get(node) ?? []) {
        if (state.get(next) === 'visiting')
          cycles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(node, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('each app has its own entry folder; the fleet reaches the console only lazily', () => {
    expect(files).toContain(join(SRC, 'apps', 'machine', 'main.ts'));
    expect(files).toContain(join(SRC, 'apps', 'fleet', 'main.ts'));
    const fleetToConsole = imports.filter(
      (i) => i.from.startsWith(join(SRC, 'apps', 'fleet')) && layer(i.to) === 'console',
    );
    expect(fleetToConsole.length).toBeGreaterThan(0);
    // A static import would put the console and its SDK into the fleet's first download.
    expect(fleetToConsole.every((i) => i.dynamic || i.typeOnly)).toBe(true);
  });
});
