/** The benchmark's printed table: each figure beside its peer from the same run, and the target. */
import type { Summary } from './stats.ts';

export interface Row {
  readonly measure: string;
  readonly value: string;
  readonly peer?: string;
  readonly ratio?: string;
  readonly target?: string;
  /** undefined: no target */
  readonly pass?: boolean;
}

export interface Section {
  readonly title: string;
  readonly rows: readonly Row[];
  readonly notes?: readonly string[];
}

export const ms = (v: number): string =>
  Number.isFinite(v) ? `${v < 10 ? v.toFixed(1) : Math.round(v)} ms` : '—';
export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
export const mb = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)} MB` : '—');
export const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '—');
export const ratio = (a: number, b: number): string =>
  b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : '—';

/** "median (min–max)" */
export const spread = (s: Summary): string => `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;

export function renderTable(sections: readonly Section[]): string {
  const header: Row = {
    measure: 'Measure',
    value: 'Console',
    peer: 'Peer',
    ratio: 'Ratio',
    target: 'Target',
  };
  const all = sections.flatMap((s) => s.rows);
  const cell = (r: Row, i: number): string =>
    [r.measure, r.value, r.peer ?? '', r.ratio ?? '', r.target ?? '', r === header ? 'Result' : verdict(r)][
      i
    ] ?? '';
  const titles: Row[] = sections.map((s) => ({ measure: `**${s.title}**`, value: '' }));
  const widths = [0, 1, 2, 3, 4, 5].map((i) =>
    Math.max(...[header, ...titles, ...all].map((r) => cell(r, i).length)),
  );
  const line = (r: Row): string => `| ${widths.map((w, i) => cell(r, i).padEnd(w)).join(' | ')} |`;
  const out: string[] = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`];
  for (const s of sections) {
    out.push(line({ measure: `**${s.title}**`, value: '' }));
    for (const r of s.rows) out.push(line(r));
  }
  const notes = sections.flatMap((s) => (s.notes ?? []).map((n) => `- ${s.title}: ${n}`));
  return [...out, ...(notes.length ? ['', ...notes] : [])].join('\n');
}

function verdict(r: Row): string {
  if (r.pass === undefined) return '';
  return r.pass ? 'pass' : 'MISS';
}
