import { LitElement, css, html, nothing } from 'lit';
import type uPlot from 'uplot';
import { formatNumber, plotGroups, type PlotGroup } from '../lib/readings.ts';
import type { SampleHistory } from '../lib/ring-buffer.ts';

interface Charting {
  readonly UPlot: typeof uPlot;
  readonly sheet: CSSStyleSheet;
}

let charting: Promise<Charting> | undefined;

/** uPlot and its stylesheet, fetched once on first use: a chunk of their own, only for pages with plots. */
function loadCharting(): Promise<Charting> {
  charting ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css?inline')]).then(
    ([module, styles]) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(styles.default);
      return { UPlot: module.default, sheet };
    },
  );
  return charting;
}

const COLOURS = ['#0f766e', '#2563eb', '#c2410c', '#7c3aed', '#db2777', '#65a30d', '#0891b2', '#a16207'];
const HEIGHT = 120;
/** Plots redraw at most this often. */
const MIN_REDRAW_MS = 1000;

interface Chart {
  readonly plot: uPlot;
  readonly signature: string;
}

/**
 * Live plots of a card's numeric readings over the last few minutes: one small chart per reading
 * (a vector's components share one). Purely a view of a SampleHistory the card fills.
 */
export class ReadingPlot extends LitElement {
  static override properties = {
    history: { attribute: false },
    version: { type: Number },
    units: { attribute: false },
    label: { type: String },
    _ready: { state: true },
    _loadError: { state: true },
  };

  /** The samples to draw. */
  declare history: SampleHistory | undefined;
  /** The history's version: a change redraws. */
  declare version: number;
  /** Units by series key, where the card knows them better than the key's name. */
  declare units: Readonly<Record<string, string>>;
  /** What is plotted, for assistive technology. */
  declare label: string;
  declare _ready: Charting | undefined;
  declare _loadError: string | undefined;

  readonly #charts = new Map<string, Chart>();
  #resize: ResizeObserver | undefined;

  constructor() {
    super();
    this.version = 0;
    this.units = {};
    this.label = 'Readings';
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
      min-height: ${HEIGHT}px;
    }
    .note {
      font-size: 0.78rem;
      color: var(--mc-text-muted);
      margin: 0;
    }
    /*
     * uPlot gives each plot's cursor lines and points will-change: transform, a composited layer
     * each: on a page of 100 plots, hundreds of layers to composite on every redraw. They move only
     * under the mouse, and repaint cheaply without. (:host raises these above uPlot's own sheet.)
     */
    :host .u-cursor-x,
    :host .u-cursor-y,
    :host .u-cursor-pt {
      will-change: auto;
    }
    /* uPlot's legend is informative but large; the value table above carries the numbers. */
    .u-legend {
      font-size: 0.72rem;
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#resize = new ResizeObserver(() => this.#sizeCharts());
    this.#resize.observe(this);
    loadCharting().then(
      (c) => {
        this.shadowRoot?.adoptedStyleSheets.push(c.sheet);
        this._ready = c;
      },
      (error: unknown) => {
        this._loadError = `Plots unavailable: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#redraw);
    this.#redraw = undefined;
    this.#resize?.disconnect();
    for (const chart of this.#charts.values()) chart.plot.destroy();
    this.#charts.clear();
  }

  #groups(): PlotGroup[] {
    return this.history ? plotGroups(this.history.keys, this.units) : [];
  }

  override render() {
    if (this._loadError) return html`<p class="note">${this._loadError}</p>`;
    const groups = this.#groups();
    if (groups.length === 0) return nothing;
    return html`<div class="grid" role="group" aria-label=${`${this.label}: plots of the last minutes`}>
      ${groups.map(
        (g) =>
          html`<figure>
            <figcaption>${g.title}${g.unit ? ` (${g.unit})` : ''}</figcaption>
            <div class="chart" data-plot-group=${g.title} role="img" aria-label=${`Plot of ${g.title}`}></div>
          </figure>`,
      )}
    </div>`;
  }

  override updated(): void {
    // At most one redraw a second: a card polled at 2 Hz does not need its canvases redrawn at 2 Hz,
    // and a machine with a hundred sensors would spend most of its main thread on it.
    const wait = this.#lastDraw + MIN_REDRAW_MS - performance.now();
    if (wait > 0) {
      this.#redraw ??= setTimeout(() => {
        this.#redraw = undefined;
        this.requestUpdate();
      }, wait);
      return;
    }
    this.#lastDraw = performance.now();
    this.#draw();
  }

  #lastDraw = -Infinity;
  #redraw: ReturnType<typeof setTimeout> | undefined;

  #draw(): void {
    const history = this.history;
    this.dataset['plotPoints'] = String(history?.length ?? 0);
    const charting = this._ready;
    if (!charting || !history) return;
    const groups = this.#groups();
    const live = new Set<string>();
    for (const group of groups) {
      live.add(group.title);
      const host = this.renderRoot.querySelector<HTMLElement>(
        `[data-plot-group="${CSS.escape(group.title)}"]`,
      );
      if (!host) continue;
      const data = history.aligned(group.keys) as uPlot.AlignedData;
      const signature = group.keys.join('\n');
      const existing = this.#charts.get(group.title);
      if (existing && existing.signature === signature && existing.plot.root.parentElement === host) {
        existing.plot.setData(data);
        continue;
      }
      existing?.plot.destroy();
      const plot = new charting.UPlot(this.#options(group, host), data, host);
      this.#charts.set(group.title, { plot, signature });
    }
    for (const [title, chart] of this.#charts) {
      if (live.has(title)) continue;
      chart.plot.destroy();
      this.#charts.delete(title);
    }
    this.dataset['plotCharts'] = String(this.#charts.size);
  }

  #options(group: PlotGroup, host: HTMLElement): uPlot.Options {
    const style = getComputedStyle(this);
    const muted = style.getPropertyValue('--mc-text-muted').trim() || '#4b5566';
    const grid = style.getPropertyValue('--mc-border').trim() || '#d5dae2';
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    return {
      width: Math.max(160, host.clientWidth),
      height: HEIGHT,
      legend: { show: group.keys.length > 1 },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        { ...axis, size: 28 },
        {
          ...axis,
          size: 52,
          values: (_u, values) => values.map((v) => formatNumber(v)),
        },
      ],
      series: [
        {},
        ...group.keys.map((key, i) => ({
          label: key.split('.').at(-1) ?? key,
          stroke: COLOURS[i % COLOURS.length] ?? '#0f766e',
          width: 1.5,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : formatNumber(v)),
        })),
      ],
    };
  }

  #sizeCharts(): void {
    for (const { plot } of this.#charts.values()) {
      const width = plot.root.parentElement?.clientWidth ?? 0;
      if (width > 0 && Math.abs(width - plot.width) > 2) plot.setSize({ width, height: HEIGHT });
    }
  }
}

customElements.define('reading-plot', ReadingPlot);

declare global {
  interface HTMLElementTagNameMap {
    'reading-plot': ReadingPlot;
  }
}
