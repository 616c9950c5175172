import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import { layoutPlot, nearestSample, timeLabel, xOf, type PlotLayout } from '../lib/plot-geometry.ts';
import { formatNumber, plotGroups, type PlotGroup } from '../lib/readings.ts';
import type { AlignedColumns, SampleHistory } from '../lib/ring-buffer.ts';

const COLOURS = ['#0f766e', '#2563eb', '#c2410c', '#7c3aed', '#db2777', '#65a30d', '#0891b2', '#a16207'];
const HEIGHT = 120;
/** Plots redraw for new samples at most this often. */
const MIN_REDRAW_MS = 1000;
/** Properties whose change is a new sample (or new units with it): redrawn at most once a second. */
const DATA = new Set<PropertyKey>(['history', 'version', 'units']);

interface Hover {
  readonly title: string;
  /** px from the chart's left edge. */
  readonly x: number;
}

/**
 * Live plots of a card's numeric readings over the last few minutes: one small chart per reading
 * (a vector's components share one). Purely a view of a SampleHistory the card fills.
 *
 * The charts are SVG, not canvases: Chromium composites every canvas as a layer of its own, and on a
 * page of 100 sensor cards the compositor's update of ~400 layers after every change of text took
 * about half of the main thread (README, Big machines). An SVG path is painted with the rest.
 */
export class ReadingPlot extends LitElement {
  static override properties = {
    history: { attribute: false },
    version: { type: Number },
    units: { attribute: false },
    label: { type: String },
    _width: { state: true },
    _hover: { state: true },
  };

  /** The samples to draw. */
  declare history: SampleHistory | undefined;
  /** The history's version: a change redraws. */
  declare version: number;
  /** Units by series key, where the card knows them better than the key's name. */
  declare units: Readonly<Record<string, string>>;
  /** What is plotted, for assistive technology. */
  declare label: string;
  /** The charts' width in px, once laid out (every chart of the grid has the same). */
  declare _width: number;
  declare _hover: Hover | undefined;

  #resize: ResizeObserver | undefined;
  #lastDraw = Number.NEGATIVE_INFINITY;
  /** The series the last render drew. */
  #drawnKeys = '';
  #redraw: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.version = 0;
    this.units = {};
    this.label = 'Readings';
    this._width = 0;
  }

  static override styles = css`
    :host {
      display: block;
      margin-top: var(--mc-space-3);
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
      gap: var(--mc-space-2);
    }
    figure {
      margin: 0;
      min-width: 0;
    }
    figcaption {
      font-size: 0.78rem;
      color: var(--mc-text-muted);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .chart {
      height: ${HEIGHT}px;
    }
    svg {
      display: block;
      overflow: hidden;
    }
    .gridline {
      stroke: var(--mc-border);
      stroke-width: 1;
    }
    .tick {
      fill: var(--mc-text-muted);
      font-size: 10px;
      font-variant-numeric: tabular-nums;
    }
    .cursor {
      stroke: var(--mc-text-muted);
      stroke-dasharray: 3 3;
    }
    .series {
      fill: none;
      stroke-width: 1.5;
      stroke-linejoin: round;
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 0 var(--mc-space-2);
      margin: 0;
      padding: 0;
      list-style: none;
      font-size: 0.72rem;
      font-variant-numeric: tabular-nums;
    }
    .swatch {
      display: inline-block;
      width: 0.7em;
      height: 0.7em;
      margin-right: 0.25em;
      border-radius: 2px;
      vertical-align: baseline;
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    // The charts take the width they are given: measured after layout, never forced.
    this.#resize = new ResizeObserver(() => {
      const width = this.renderRoot.querySelector<HTMLElement>('.chart')?.clientWidth ?? 0;
      if (Math.abs(width - this._width) > 2) this._width = width;
    });
    this.#resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#redraw);
    this.#redraw = undefined;
    this.#resize?.disconnect();
  }

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    // At most one redraw a second for new samples: a card polled at 2 Hz does not need its charts
    // redrawn at 2 Hz. A resize or the pointer redraws at once.
    if (![...changed.keys()].every((key) => DATA.has(key))) return true;
    // New series are drawn at once: their charts change the card's height, which must settle with
    // the data that brought them, not a second later under whatever the operator is looking at.
    if (this.#keysOf() !== this.#drawnKeys) return true;
    const wait = this.#lastDraw + MIN_REDRAW_MS - performance.now();
    if (wait <= 0) return true;
    this.#redraw ??= setTimeout(() => {
      this.#redraw = undefined;
      this.requestUpdate();
    }, wait);
    return false;
  }

  #keysOf(): string {
    return this.history?.keys.join('\n') ?? '';
  }

  #groups(): PlotGroup[] {
    return this.history ? plotGroups(this.history.keys, this.units) : [];
  }

  override render() {
    this.#lastDraw = performance.now();
    this.#drawnKeys = this.#keysOf();
    const groups = this.#groups();
    if (groups.length === 0 || !this.history) return nothing;
    const history = this.history;
    return html`<div class="grid" role="group" aria-label=${`${this.label}: plots of the last minutes`}>
      ${groups.map((g) => this.#chart(g, history.aligned(g.keys)))}
    </div>`;
  }

  override updated(): void {
    this.dataset['plotPoints'] = String(this.history?.length ?? 0);
    this.dataset['plotCharts'] = String(this._width > 0 ? this.#groups().length : 0);
  }

  #chart(group: PlotGroup, data: AlignedColumns) {
    const layout = this._width > 0 ? layoutPlot(data, this._width, HEIGHT) : undefined;
    const hover = this._hover?.title === group.title && layout ? this.#hoverIndex(data, layout) : -1;
    const xs = data[0];
    const series = data.slice(1) as (number | null)[][];
    // The legend's values: under the pointer, else the latest each series has.
    const shown = series.map((column) => (hover >= 0 ? column[hover] : lastValue(column)) ?? null);
    return html`<figure>
      <figcaption>${group.title}${group.unit ? ` (${group.unit})` : ''}</figcaption>
      <div class="chart" data-plot-group=${group.title} role="img" aria-label=${`Plot of ${group.title}`}>
        ${
          layout
            ? html`<svg
                width=${layout.width}
                height=${layout.height}
                viewBox=${`0 0 ${layout.width} ${layout.height}`}
                aria-hidden="true"
                @pointermove=${(e: PointerEvent) => this.#pointer(group.title, e)}
                @pointerleave=${() => {
                  this._hover = undefined;
                }}
              >
                ${this.#axes(layout)}
                ${layout.paths.map(
                  (d, i) =>
                    svg`<path class="series" d=${d} stroke=${COLOURS[i % COLOURS.length] ?? COLOURS[0]}></path>`,
                )}
                ${hover >= 0 ? this.#cursor(layout, xs, hover, shown, group.keys.length) : nothing}
              </svg>`
            : nothing
        }
      </div>
      ${
        group.keys.length > 1
          ? html`<ul class="legend">
              ${group.keys.map(
                (key, i) =>
                  html`<li>
                    <svg class="swatch" viewBox="0 0 1 1" aria-hidden="true">
                      <rect width="1" height="1" fill=${COLOURS[i % COLOURS.length] ?? COLOURS[0]}></rect>
                    </svg>
                    ${key.split('.').at(-1) ?? key} ${formatValue(shown[i])}
                  </li>`,
              )}
            </ul>`
          : nothing
      }
    </figure>`;
  }

  #axes(layout: PlotLayout) {
    const withSeconds =
      layout.xTicks.length > 1 && (layout.xTicks[1]?.value ?? 0) - (layout.xTicks[0]?.value ?? 0) < 60;
    return svg`
      ${layout.yTicks.map(
        (t) => svg`<line class="gridline" x1=${layout.left} x2=${layout.right} y1=${t.at} y2=${t.at}></line>
          <text class="tick" x=${layout.left - 4} y=${t.at} text-anchor="end" dominant-baseline="middle">${formatNumber(t.value)}</text>`,
      )}
      ${layout.xTicks.map(
        (t) => svg`<line class="gridline" x1=${t.at} x2=${t.at} y1=${layout.top} y2=${layout.bottom}></line>
          <text class="tick" x=${t.at} y=${layout.height - 5} text-anchor="middle">${timeLabel(t.value, withSeconds)}</text>`,
      )}`;
  }

  #cursor(
    layout: PlotLayout,
    xs: readonly number[],
    index: number,
    shown: readonly (number | null)[],
    count: number,
  ) {
    const t = xs[index] ?? layout.t1;
    const x = xOf(layout, t);
    // One series: its value beside the time; several: the legend holds theirs.
    const text = count === 1 ? `${timeLabel(t, true)}  ${formatValue(shown[0])}` : timeLabel(t, true);
    return svg`<line class="cursor" x1=${x} x2=${x} y1=${layout.top} y2=${layout.bottom}></line>
      <text class="tick" x=${layout.right} y=${layout.top + 8} text-anchor="end">${text}</text>`;
  }

  #hoverIndex(data: AlignedColumns, layout: PlotLayout): number {
    const x = this._hover?.x;
    return x === undefined ? -1 : nearestSample(data[0], layout, x);
  }

  #pointer(title: string, e: PointerEvent): void {
    const box = (e.currentTarget as Element).getBoundingClientRect();
    this._hover = { title, x: e.clientX - box.left };
  }
}

function lastValue(column: readonly (number | null)[]): number | null {
  for (let i = column.length - 1; i >= 0; i--) {
    const v = column[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

function formatValue(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : formatNumber(v);
}

customElements.define('reading-plot', ReadingPlot);

declare global {
  interface HTMLElementTagNameMap {
    'reading-plot': ReadingPlot;
  }
}
