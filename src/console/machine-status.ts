import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { groupStatuses, type MachineStatusView, type ResourceStatusView } from '../lib/resources.ts';
import {
  EMPTY_WINDOW,
  clampWindow,
  initialWindows,
  rowWindow,
  sameWindow,
  type RowWindow,
} from '../lib/row-window.ts';
import { formatAge } from '../lib/time.ts';
import { base, panel } from '../styles/tokens.ts';
import './cloud-facts.ts';

/** A list longer than this draws only the rows near the viewport (each then one line high). */
export const WINDOW_MIN_ROWS = 60;
const ROW_HEIGHT_GUESS_PX = 24;
/** Rows drawn beyond each edge of what is visible, so a scroll finds them there. */
const MARGIN_PX = 400;

interface StatusGroup {
  readonly part: string;
  readonly label: string;
  readonly items: readonly ResourceStatusView[];
}

const groupId = (g: Pick<StatusGroup, 'part' | 'label'>): string => `${g.part}\n${g.label}`;

export interface VersionInfo {
  readonly platform: string;
  readonly version: string;
  readonly apiVersion: string;
}

/**
 * The machine at a glance: state, platform and version, config revision and when it changed, and every
 * resource with its health, grouped by part and API, filterable by name.
 */
export class MachineStatus extends LitElement {
  static override properties = {
    status: { attribute: false },
    version: { attribute: false },
    updatedAt: { attribute: false },
    stale: { type: Boolean },
    reportsStatus: { type: Boolean },
    error: { attribute: false },
    _filter: { state: true },
    _windows: { state: true },
  };

  declare status: MachineStatusView | undefined;
  /** null: the machine does not implement GetVersion. */
  declare version: VersionInfo | null | undefined;
  /** Epoch ms when `status` arrived. */
  declare updatedAt: number | undefined;
  declare stale: boolean;
  /**
   * False for a viam-server without GetMachineStatus: `status` then holds names from ResourceNames
   * only, with no state, revision or health to show.
   */
  declare reportsStatus: boolean;
  /** The last poll's error, shown inline. */
  declare error: string | undefined;
  declare _filter: string;
  /**
   * For a long list (more than WINDOW_MIN_ROWS), the rows drawn of each group; empty for a short one,
   * which draws all its rows.
   */
  declare _windows: ReadonlyMap<string, RowWindow>;

  #groups: StatusGroup[] = [];
  /** The groups' sizes last measured for: a status that changes only states needs no new measure. */
  #shape = '';
  #rowHeight = ROW_HEIGHT_GUESS_PX;
  #frame: number | undefined;
  /** The element the list scrolls in (the dashboard's side column), besides the window. */
  #scroller: HTMLElement | null = null;

  constructor() {
    super();
    this.stale = false;
    this.reportsStatus = true;
    this._filter = '';
    this._windows = new Map();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('scroll', this.#onViewportChange, { passive: true });
    window.addEventListener('resize', this.#onViewportChange, { passive: true });
    this.#scroller = this.parentElement;
    this.#scroller?.addEventListener('scroll', this.#onViewportChange, { passive: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('scroll', this.#onViewportChange);
    window.removeEventListener('resize', this.#onViewportChange);
    this.#scroller?.removeEventListener('scroll', this.#onViewportChange);
    this.#scroller = null;
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
  }

  get #windowed(): boolean {
    return this.#groups.reduce((n, g) => n + g.items.length, 0) > WINDOW_MIN_ROWS;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('status') && !changed.has('_filter') && this.#groups.length > 0) return;
    this.#groups = this.status ? groupStatuses(this.status.resources.values(), this._filter) : [];
    const windowed = this.#windowed;
    this.toggleAttribute('windowed', windowed);
    if (!windowed) {
      this.#shape = '';
      if (this._windows.size > 0) this._windows = new Map();
      return;
    }
    if (this._windows.size === 0) {
      // Nothing measured yet: a screenful from the top, corrected by the first measurement.
      const first = initialWindows(
        this.#groups.map((g) => g.items.length),
        Math.ceil(window.innerHeight / this.#rowHeight),
      );
      this._windows = new Map(this.#groups.map((g, i) => [groupId(g), first[i] ?? EMPTY_WINDOW]));
    } else {
      const prev = this._windows;
      const next = new Map(
        this.#groups.map((g) => [
          groupId(g),
          clampWindow(prev.get(groupId(g)) ?? EMPTY_WINDOW, g.items.length),
        ]),
      );
      if (
        [...next].some(([id, w]) => !sameWindow(w, prev.get(id) ?? EMPTY_WINDOW)) ||
        next.size !== prev.size
      )
        this._windows = next;
    }
    // Measuring forces a layout: only when the lists' sizes changed (scrolls measure on their own).
    const shape = this.#groups.map((g) => `${groupId(g)}:${g.items.length}`).join('\n');
    if (shape !== this.#shape) {
      this.#shape = shape;
      this.#scheduleMeasure();
    }
  }

  override updated(): void {
    // Each windowed list is as tall as all its rows: the drawn ones, and padding for the others. Set
    // through the CSSOM (the page's CSP allows no style attributes).
    for (const ul of this.renderRoot.querySelectorAll<HTMLElement>('ul[data-rows]')) {
      const w = this._windows.get(ul.dataset['group'] ?? '') ?? EMPTY_WINDOW;
      const rows = Number(ul.dataset['rows']);
      ul.style.paddingTop = `${w.start * this.#rowHeight}px`;
      ul.style.paddingBottom = `${(rows - w.end) * this.#rowHeight}px`;
    }
  }

  readonly #onViewportChange = (): void => {
    if (this._windows.size > 0) this.#scheduleMeasure();
  };

  #scheduleMeasure(): void {
    if (this.#frame !== undefined) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = undefined;
      this.#measure();
    });
  }

  /** Reads where each group's list is now and draws its rows that can be seen. */
  #measure(): void {
    if (!this.isConnected || this._windows.size === 0) return;
    const row = this.renderRoot.querySelector<HTMLElement>('ul[data-rows] li');
    const measured = row?.getBoundingClientRect().height ?? 0;
    const heightChanged = measured > 0 && Math.abs(measured - this.#rowHeight) > 0.01;
    if (heightChanged) this.#rowHeight = measured;
    // What can be seen: the window, cut to the column the list scrolls in.
    const box = this.#scroller?.getBoundingClientRect();
    const top = Math.max(0, box?.top ?? 0);
    const bottom = Math.min(window.innerHeight, box?.bottom ?? window.innerHeight);
    const next = new Map<string, RowWindow>();
    let changed = heightChanged;
    for (const ul of this.renderRoot.querySelectorAll<HTMLElement>('ul[data-rows]')) {
      const id = ul.dataset['group'] ?? '';
      const w = rowWindow({
        listTop: ul.getBoundingClientRect().top + ul.clientTop - top,
        count: Number(ul.dataset['rows']),
        rowHeight: this.#rowHeight,
        viewportHeight: Math.max(0, bottom - top),
        marginPx: MARGIN_PX,
      });
      next.set(id, w);
      if (!sameWindow(w, this._windows.get(id) ?? EMPTY_WINDOW)) changed = true;
    }
    if (changed) this._windows = next;
    // A new row height moved every list below the first: measure once more with it.
    if (heightChanged) this.#scheduleMeasure();
  }

  static override styles = [
    base,
    panel,
    css`
      h2 {
        font-size: 1rem;
        margin: 0 0 var(--mc-space-2);
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: var(--mc-space-1) var(--mc-space-3);
        margin: 0 0 var(--mc-space-3);
        font-size: 0.9rem;
      }
      dt {
        color: var(--mc-text-muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .stale {
        color: var(--mc-warning);
      }
      input[type='search'] {
        box-sizing: border-box;
        width: 100%;
        font: inherit;
        padding: var(--mc-space-2);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        background: var(--mc-bg);
        color: var(--mc-text);
      }
      h3 {
        font-size: 0.8rem;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--mc-text-muted);
        margin: var(--mc-space-3) 0 var(--mc-space-1);
      }
      h4 {
        font-size: 0.85rem;
        margin: var(--mc-space-2) 0 var(--mc-space-1);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0 var(--mc-space-2);
        padding: 2px 0;
        font-size: 0.9rem;
        min-width: 0;
      }
      .name {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .state.ready {
        color: var(--mc-ok);
      }
      .state.unhealthy {
        color: var(--mc-danger);
      }
      .state.configuring,
      .state.removing {
        color: var(--mc-warning);
      }
      /* A long list draws only the rows in view, each one line high (the error is in its title). */
      :host([windowed]) li {
        height: 1.5rem;
        box-sizing: border-box;
        overflow: hidden;
      }
      :host([windowed]) .resource-error {
        display: none;
      }
      .resource-error {
        grid-column: 1 / -1;
        color: var(--mc-danger);
        font-size: 0.8rem;
        overflow-wrap: anywhere;
        max-height: 6rem;
        overflow: auto;
      }
      .error {
        color: var(--mc-danger);
        font-size: 0.85rem;
      }
      .note {
        color: var(--mc-text-muted);
        font-size: 0.85rem;
        margin: 0 0 var(--mc-space-3);
      }
    `,
  ];

  override render() {
    const s = this.status;
    const age = this.updatedAt === undefined ? undefined : Date.now() - this.updatedAt;
    const groups = this.#groups;
    const windowed = this._windows.size > 0;
    const parts = [...new Set(groups.map((g) => g.part))];
    const reports = this.reportsStatus;
    return html`
      <h2 id="status-title">Machine status</h2>
      <dl aria-labelledby="status-title">
        <dt>State</dt>
        <dd data-machine-state=${reports ? (s?.state ?? 'unknown') : 'not-reported'}>
          ${reports ? (s?.state ?? '…') : 'not reported'}
        </dd>
        <dt>Version</dt>
        <dd data-version>
          ${this.version === null ? 'not reported' : this.version ? `${this.version.platform} ${this.version.version}` : '…'}
        </dd>
        <dt>Config</dt>
        <dd data-config-revision=${s?.configRevision ?? ''}>
          ${!reports ? 'not reported' : s ? html`rev ${s.configRevision.slice(0, 12) || '—'}${s.configUpdatedMs ? html`, changed ${formatAge(Date.now() - s.configUpdatedMs)}` : nothing}` : '…'}
        </dd>
        <dt>Updated</dt>
        <dd class=${this.stale ? 'stale' : ''} data-stale=${this.stale ? 'true' : 'false'}>
          ${age === undefined ? '…' : formatAge(age)}${this.stale ? ' (stale)' : ''}
        </dd>
      </dl>
      <cloud-facts></cloud-facts>
      ${
        reports
          ? nothing
          : html`<p class="note" role="status" data-status-unsupported>
              This viam-server does not report status: resources are listed from ResourceNames, refreshed
              every 10 s, without health.
            </p>`
      }
      ${this.error && reports ? html`<p class="error" role="status" data-status-error>Status unavailable: ${this.error}</p>` : nothing}
      <label>
        <span class="visually-hidden" hidden>Filter resources</span>
        <input
          type="search"
          placeholder="Filter resources by name"
          aria-label="Filter resources by name"
          .value=${this._filter}
          @input=${(e: InputEvent) => (this._filter = (e.target as HTMLInputElement).value)}
        />
      </label>
      ${parts.map(
        (part) => html`
          <section aria-label=${part === '' ? 'This machine' : `Remote part ${part}`} data-part=${part}>
            ${parts.length > 1 || part !== '' ? html`<h3>${part === '' ? 'This machine' : `Part ${part}`}</h3>` : nothing}
            ${groups
              .filter((g) => g.part === part)
              .map(
                (g) => html`
                  <h4>${g.label}</h4>
                  <ul
                    data-group=${windowed ? groupId(g) : nothing}
                    data-rows=${windowed ? g.items.length : nothing}
                  >
                    ${repeat(
                      windowed ? g.items.slice(...this.#slice(g)) : g.items,
                      (item) => item.resource.key,
                      (item) => html`
                        <li
                          data-status-resource=${item.resource.name}
                          data-state=${item.state}
                          title=${item.state === 'unhealthy' && item.error && windowed ? item.error : nothing}
                        >
                          <span class="name" title=${item.resource.name}>${item.resource.shortName}</span>
                          ${reports ? html`<span class="state ${item.state}">${item.state}</span>` : html`<span class="state">—</span>`}
                          ${
                            item.state === 'unhealthy' && item.error
                              ? html`<span class="resource-error">${item.error}</span>`
                              : nothing
                          }
                        </li>
                      `,
                    )}
                  </ul>
                `,
              )}
          </section>
        `,
      )}
      ${s && groups.length === 0 ? html`<p>No resources match.</p>` : nothing}
    `;
  }

  #slice(g: StatusGroup): [number, number] {
    const w = this._windows.get(groupId(g)) ?? EMPTY_WINDOW;
    return [w.start, w.end];
  }
}

customElements.define('machine-status', MachineStatus);

declare global {
  interface HTMLElementTagNameMap {
    'machine-status': MachineStatus;
  }
}
