/**
 * What a built app makes the browser download: the JS its entry HTML loads eagerly (module scripts,
 * modulepreloads, and everything those import statically), gzip-sized, and each lazily imported chunk.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ChunkSize {
  readonly file: string;
  readonly raw: number;
  readonly gzip: number;
}

export interface BundleReport {
  /** JS the entry HTML loads before the app can run. */
  readonly initial: readonly ChunkSize[];
  readonly initialRaw: number;
  readonly initialGzip: number;
  /** Every other JS chunk (loaded on demand). */
  readonly lazy: readonly ChunkSize[];
}

/** A built chunk as Vite's (Rolldown's) build output describes it. */
export interface BuiltChunk {
  readonly type: 'chunk';
  readonly fileName: string;
  readonly code: string;
  readonly imports: readonly string[];
}

function size(file: string, code: string | Buffer): ChunkSize {
  const bytes = typeof code === 'string' ? Buffer.from(code) : code;
  return { file, raw: bytes.length, gzip: gzipSync(bytes).length };
}

/** Script and modulepreload URLs of an HTML file, relative to its folder. */
export function eagerScripts(html: string): string[] {
  const urls: string[] = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const isModule = /^<script/i.test(tag) && /type\s*=\s*["']module["']/i.test(tag);
    const isPreload = /^<link/i.test(tag) && /rel\s*=\s*["']modulepreload["']/i.test(tag);
    if (!isModule && !isPreload) continue;
    const url = /(?:src|href)\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    if (url) urls.push(url.replace(/^\.\//, ''));
  }
  return urls;
}

/**
 * Sizes one page of a build in `outDir`: the page's eager scripts plus their static-import closure
 * (from the build output, so an import the HTML does not preload still counts) are initial; every
 * other chunk of the build, the other pages' included, is lazy for this page.
 */
export function measureBundle(
  outDir: string,
  chunks: readonly BuiltChunk[],
  page = 'index.html',
): BundleReport {
  const html = readFileSync(join(outDir, page), 'utf8');
  const byFile = new Map(chunks.map((c) => [c.fileName, c]));
  const initialFiles = new Set<string>();
  const visit = (file: string): void => {
    if (initialFiles.has(file)) return;
    initialFiles.add(file);
    for (const dep of byFile.get(file)?.imports ?? []) visit(dep);
  };
  for (const url of eagerScripts(html)) visit(url);
  const initial = [...initialFiles].map((file) =>
    size(file, byFile.get(file)?.code ?? readFileSync(join(outDir, file))),
  );
  const lazy = chunks
    .filter((c) => !initialFiles.has(c.fileName))
    .map((c) => size(c.fileName, c.code))
    .sort((a, b) => b.gzip - a.gzip);
  return {
    initial,
    initialRaw: initial.reduce((s, c) => s + c.raw, 0),
    initialGzip: initial.reduce((s, c) => s + c.gzip, 0),
    lazy,
  };
}
