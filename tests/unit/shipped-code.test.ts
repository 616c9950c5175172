/**
 * What the production build ships, read from the build output: no code that compiles strings at run
 * time (eval, Function, string timers) beyond what is there today, and every HTML page carries the
 * CSP with Trusted Types and no inline script. The CSP and Trusted Types already refuse such calls
 * in the browser; this catches a dependency that starts making them before it reaches anyone, and
 * names the module that did.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRUSTED_TYPES_POLICIES } from '../../src/lib/trusted-types.ts';

/** Ways JS turns a string into code. Word boundaries keep `isFunction(`, `myeval` and `Function.prototype` out. */
const DYNAMIC_CODE: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'eval', pattern: /(?<![\w$])eval(?![\w$])/g },
  { name: 'Function(', pattern: /(?<![\w$])Function\s*\(/g },
  { name: '.constructor("…")', pattern: /\.constructor\s*\(\s*["'`]/g },
  { name: 'string timer', pattern: /(?<![\w$])set(?:Timeout|Interval)\s*\(\s*["'`]/g },
];

/**
 * What the shipped bundle contains today, as `<module>: <name>` -> count (module paths relative to
 * the repository). Empty on 2026-12-01: neither the app nor Lit, js-cookie, uPlot or the Viam SDK
 * 0.61.1 compile strings. An entry here is a decision, with a reason beside it.
 */
const ALLOWED: Readonly<Record<string, number>> = {};

function findDynamicCode(code: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const { name, pattern } of DYNAMIC_CODE) {
    const count = code.match(pattern)?.length ?? 0;
    if (count > 0) found.set(name, count);
  }
  return found;
}

describe('the dynamic-code scanner', () => {
  it('finds every form it names and nothing that only looks like one', () => {
    const hits = [
      'eval(x)',
      '(0,eval)(x)',
      'globalThis.eval(x)',
      'new Function("a","return a")',
      'Function("return this")()',
      'x.constructor("return 1")',
      "setTimeout('tick()', 5)",
      'setInterval(`f()`)',
    ];
    for (const sample of hits) expect([...findDynamicCode(sample).keys()], sample).not.toEqual([]);
    const misses = [
      'isFunction(x)',
      'myeval(x)',
      'evaluate(x)',
      'Function.prototype.call',
      'typeof f=="function"',
      'setTimeout(() => f(), 5)',
      'setTimeout(f, 5)',
      'x.constructor(y)',
    ];
    for (const sample of misses) expect(findDynamicCode(sample).size, sample).toBe(0);
  });
});

const root = join(import.meta.dirname, '../..');
const outDir = mkdtempSync(join(tmpdir(), 'shipped-code-'));
let chunks: { fileName: string; code: string; modules: Record<string, { code: string | null }> }[] = [];

beforeAll(async () => {
  // As `vite build` does (Vitest's NODE_ENV=test would build development code).
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    const output = await build({
      root,
      logLevel: 'silent',
      mode: 'production',
      build: { outDir, emptyOutDir: true },
    });
    const first = (Array.isArray(output) ? (output[0] as unknown) : output) as {
      output?: readonly { type: string }[];
    };
    chunks = (first.output ?? []).filter((o): o is (typeof chunks)[number] & { type: 'chunk' } => {
      return o.type === 'chunk';
    });
  } finally {
    if (nodeEnv === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = nodeEnv;
  }
}, 120_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the shipped bundle', () => {
  it('compiles no strings beyond the allow-list, module by module', () => {
    expect(chunks.length).toBeGreaterThan(1);
    const found: Record<string, number> = {};
    for (const chunk of chunks) {
      for (const [id, module] of Object.entries(chunk.modules)) {
        const name = id.startsWith('\0') ? id.slice(1) : relative(root, id);
        for (const [kind, count] of findDynamicCode(module.code ?? ''))
          found[`${name}: ${kind}`] = (found[`${name}: ${kind}`] ?? 0) + count;
      }
    }
    // Exact: a new call fails, and so does an entry left over after a call went away.
    expect(found).toEqual(ALLOWED);
  });

  it('the emitted files (after minification) agree', () => {
    const files = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
    expect(files.length).toBe(chunks.length);
    const total = files
      .map((f) => findDynamicCode(readFileSync(join(outDir, 'assets', f), 'utf8')))
      .reduce((sum, m) => sum + [...m.values()].reduce((a, b) => a + b, 0), 0);
    expect(total).toBe(Object.values(ALLOWED).reduce((a, b) => a + b, 0));
  });

  it('every page carries the CSP with Trusted Types and no inline script or handler', () => {
    const pages = readdirSync(outDir).filter((f) => f.endsWith('.html'));
    expect(pages).toContain('index.html');
    for (const page of pages) {
      const html = readFileSync(join(outDir, page), 'utf8');
      const attribute = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
      const csp = attribute
        .replace(/&#39;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
      const directives = new Map(
        csp.split(';').map((d) => {
          const [name = '', ...values] = d.trim().split(/\s+/);
          return [name, values] as const;
        }),
      );
      expect(directives.get('script-src'), page).toEqual(["'self'"]);
      expect(directives.get('require-trusted-types-for'), page).toEqual(["'script'"]);
      expect(directives.get('trusted-types'), page).toEqual([...TRUSTED_TYPES_POLICIES]);
      expect(csp, page).not.toMatch(/unsafe-(eval|inline)|wasm-unsafe-eval|allow-duplicates|'default'/);
      // Scripts only by src, and no on* handler attributes.
      for (const script of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? []) {
        expect(script, page).toMatch(/^<script\b[^>]*\bsrc=[^>]*><\/script>$/);
      }
      expect(html, page).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
    }
  });
});
