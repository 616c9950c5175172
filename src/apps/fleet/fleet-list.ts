import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  filterMachines,
  groupMachines,
  hashForMachine,
  isFiltered,
  NO_FILTER,
  shortName,
  stateText,
  STATE_LABELS,
  type FilterOptions,
  type FleetFilter,
  type FleetMachine,
  type FleetOrg,
  type FleetView,
  type MachineState,
} from '../../lib/fleet.ts';
import {
  clampWindow,
  coversWindow,
  EMPTY_WINDOW,
  initialWindows,
  lengthInPx,
  rowWindow,
  sameWindow,
  type RowWindow,
} from '../../lib/row-window.ts';
import { base } from '../../styles/tokens.ts';
import { nextTask } from '../../lib/next-task.ts';
import './fleet-status.ts';

/** The operator changed the search or a filter. */
export class FilterChangeEvent extends Event {
  static readonly type = 'filter-change';
  constructor(readonly filter: FleetFilter) {
    super(FilterChangeEvent.type, { bubbles: true, composed: true });
  }
}

/** The operator tried to open a machine that cannot be opened (offline, awaiting setup). */
export class OpenBlockedEvent extends Event {
  static readonly type = 'open-blocked';
  constructor(readonly machineId: string) {
    super(OpenBlockedEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * The list is ready: every row the filters let through is reachable (the rows near the viewport are
 * drawn, the others are space of their exact height, drawn as a scroll brings them near).
 */
export class ListCompleteEvent extends Event {
  static readonly type = 'list-complete';
  constructor() {
    super(ListCompleteEvent.type, { bubbles: true, composed: true });
  }
}

const count = (n: number): string => `${n} ${n === 1 ? 'machine' : 'machines'}`;

/** Drawn beyond each edge of the viewport: a fast wheel or a Tab finds rows already there. */
const MARGIN_PX = 800;
/** The margins come this much per frame once the list is painted (see #growMargins). */
const MARGIN_STEP_PX = 400;
/** A row's height until one has been measured or read (the stylesheet fixes it: --row-height). */
const ROW_HEIGHT_GUESS_PX = 60;
/**
 * When the list's rows change (an answer, a filter), it is measured in the task that rendered them
 * (one forced layout, which the frame then need not do) rather than in the next frame's animation
 * callbacks (a layout to measure, a redraw, and the frame's own layout after it): the list knows it
 * is ready in the same task, and the next frame paints it with one layout. The very first rows need
 * no measure when the stylesheet's row height can be read (see willUpdate); otherwise they are
 * measured in the task right after (see #firstRows). At most this many in a row: a geometry that
 * never settles falls back to measuring once per frame. Scrolls measure per frame.
 */
const EAGER_MEASURES = 3;

const STATES: readonly MachineState[] = ['online', 'offline', 'awaiting-setup'];

const NO_OPTIONS: FilterOptions = { locations: [], fragments: [] };

/**
 * The fleet list: counts, freshness, search and filters, then machines grouped by organization and
 * location. Online machines are links to `#/machine/<id>`; the others say why they cannot be opened.
 * Rows have one fixed height, and only those near the viewport are drawn: each location's list is
 * padded to its full height, so the page scrolls as if all 500 were there while a refresh, a filter
 * or a scroll touches a few dozen. Rows that did not change are not re-rendered.
 */
export class FleetList extends LitElement {
  static override properties = {
    view: { attribute: false },
    filter: { attribute: false },
    fetchedAt: { attribute: false },
    pendingSince: { attribute: false },
    error: { attribute: false },
    orgsPending: { attribute: false },
    _windows: { state: true },
  };

  /** The last good answer, mapped. */
  declare view: FleetView | undefined;
  declare filter: FleetFilter;
  declare fetchedAt: number | undefined;
  declare pendingSince: number | undefined;
  declare error: { readonly message: string; readonly at: number } | undefined;
  /** The organizations are still being looked up: machines of no known one get no heading yet. */
  declare orgsPending: boolean;
  /** The drawn rows of each location's list, by location id; a location not in it draws none. */
  declare _windows: ReadonlyMap<string, RowWindow>;

  #filtered: readonly FleetMachine[] = [];
  #groups: readonly FleetOrg[] = [];
  #options: FilterOptions = NO_OPTIONS;
  #rowHeight = ROW_HEIGHT_GUESS_PX;
  /** The windows were set from a measurement of the page as it is now. */
  #measured = false;
  /**
   * 0 until the list has been painted once: the first frame draws the screen, not its margins; then
   * MARGIN_STEP_PX more per frame up to MARGIN_PX (see #growMargins).
   */
  #margin = 0;
  /** The margins have begun to grow (once, after the list's first paint). */
  #marginsStarted = false;
  /** Measures still to make in the rendering task since the rows last changed (see EAGER_MEASURES). */
  #eagerMeasures = 0;
  /** The rows drawn are the first, a screenful from the top, not yet measured. */
  #firstRows = false;
  #frame: number | undefined;
  /** The host shown again, or resized (a header line came or went): the lists moved. */
  readonly #resize = new ResizeObserver(() => {
    this.#scheduleMeasure();
  });

  constructor() {
    super();
    this.filter = NO_FILTER;
    this.orgsPending = false;
    this._windows = new Map();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('scroll', this.#onViewportChange, { passive: true });
    window.addEventListener('resize', this.#onViewportChange, { passive: true });
    this.#resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('scroll', this.#onViewportChange);
    window.removeEventListener('resize', this.#onViewportChange);
    this.#resize.disconnect();
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('view') || changed.has('filter')) {
      const view = this.view;
      const machines = view?.machines ?? [];
      this.#filtered = filterMachines(machines, this.filter);
      // Unfiltered, the view's own grouping (made with the mapping, not in this task).
      this.#groups = view && this.#filtered === machines ? view.groups : groupMachines(this.#filtered);
      if (changed.has('view')) this.#options = view?.options ?? NO_OPTIONS;
      this.#measured = false;
      this.#eagerMeasures = EAGER_MEASURES;
      const locations = this.#groups.flatMap((o) => o.locations);
      if (this._windows.size === 0) {
        // Nothing measured yet: a screenful from the top, corrected by the first measurement. The
        // margins come in a frame after the first paint (see #margin). With the stylesheet's row
        // height (read without a layout) and the page at its top, those rows cover the screen and
        // every other row has its exact space: the list is ready as drawn, and the first
        // measurement (with the margins) confirms it or corrects it.
        const declared = locations.length > 0 ? this.#declaredRowHeight() : undefined;
        if (declared !== undefined) this.#rowHeight = declared;
        const budget = Math.ceil(window.innerHeight / this.#rowHeight);
        const first = initialWindows(
          locations.map((l) => l.machines.length),
          budget,
        );
        this._windows = new Map(locations.map((l, i) => [l.id, first[i] ?? EMPTY_WINDOW]));
        // (Drawn while hidden, a machine open, the list is measured when shown: see #measure.)
        if (declared !== undefined && !this.hidden && window.scrollY === 0) {
          this.#measured = true;
          this.#eagerMeasures = 0;
        } else this.#firstRows = true;
      } else {
        const prev = this._windows;
        this._windows = new Map(
          locations.map((l) => [l.id, clampWindow(prev.get(l.id) ?? EMPTY_WINDOW, l.machines.length)]),
        );
      }
    }
  }

  override updated(): void {
    // Each list's height is that of all its rows: the drawn ones, and padding for the others. Set
    // through the CSSOM (the page's CSP allows no style attributes).
    for (const ul of this.renderRoot.querySelectorAll<HTMLElement>('ul.machines[data-rows]')) {
      const w = this._windows.get(ul.dataset['location'] ?? '') ?? EMPTY_WINDOW;
      const rows = Number(ul.dataset['rows']);
      ul.style.paddingTop = `${w.start * this.#rowHeight}px`;
      ul.style.paddingBottom = `${(rows - w.end) * this.#rowHeight}px`;
    }
    if (!this.#measured) this.removeAttribute('data-complete');
    if (this.view === undefined || this.hidden) return;
    if (this.#measured) {
      if (!this.hasAttribute('data-complete')) {
        this.setAttribute('data-complete', '');
        this.dispatchEvent(new ListCompleteEvent());
      }
      if (!this.#marginsStarted) {
        // Painted: the rows beyond the screen's edges follow, from the frame after the next.
        this.#marginsStarted = true;
        requestAnimationFrame(() => {
          this.#growMargins();
        });
      }
      return;
    }
    if (this.#eagerMeasures > 0) {
      // The rows changed: the screen's rows are settled in this task (see EAGER_MEASURES).
      this.#eagerMeasures -= 1;
      if (this.#firstRows) {
        // The first rows (a screenful from the top: they cover the screen whatever it measures)
        // are measured in the next task, not this one: drawing and laying out the first list are
        // two tasks, neither of them a long one. nextTask is scheduler.yield: ahead of other tasks.
        this.#firstRows = false;
        void nextTask().then(() => {
          this.#measure();
        });
        return;
      }
      this.#measure();
      return;
    }
    this.#scheduleMeasure();
  }

  /**
   * Every row's height as the stylesheet sets it (--row-height, in rem or px), in px; undefined
   * where it is not one of those. A style read, not a layout.
   */
  #declaredRowHeight(): number | undefined {
    const declared = getComputedStyle(this).getPropertyValue('--row-height');
    const rootFontPx = parseFloat(getComputedStyle(document.documentElement).fontSize);
    return lengthInPx(declared, rootFontPx);
  }

  /**
   * In the next frame, one step more of margin and the rows it brings, and so on in the frames after
   * until the margins are whole: a few rows a frame, rather than a long frame drawing them all.
   */
  #growMargins(): void {
    requestAnimationFrame(() => {
      this.#margin = Math.min(MARGIN_PX, this.#margin + MARGIN_STEP_PX);
      this.#measure();
      if (this.#margin < MARGIN_PX) this.#growMargins();
    });
  }

  readonly #onViewportChange = (): void => {
    this.#scheduleMeasure();
  };

  #scheduleMeasure(): void {
    if (this.#frame !== undefined) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = undefined;
      this.#measure();
    });
  }

  /** Reads where each location's list is now and draws the rows near the viewport. */
  #measure(): void {
    // Hidden (a machine is open): keep the windows, so coming back finds the rows it left.
    if (this.view === undefined || this.hidden || !this.isConnected) return;
    const row = this.renderRoot.querySelector<HTMLElement>('li.machine');
    const measured = row?.getBoundingClientRect().height ?? 0;
    const heightChanged = measured > 0 && Math.abs(measured - this.#rowHeight) > 0.01;
    if (heightChanged) this.#rowHeight = measured;
    const next = new Map<string, RowWindow>();
    let changed = heightChanged;
    for (const ul of this.renderRoot.querySelectorAll<HTMLElement>('ul.machines[data-rows]')) {
      const id = ul.dataset['location'] ?? '';
      const rows = Number(ul.dataset['rows']);
      const w = heightChanged ? undefined : this._windows.get(id);
      // A row's top is the list's top inside its border, plus its index times the row height.
      const top = ul.getBoundingClientRect().top + ul.clientTop;
      const nextWindow = rowWindow({
        listTop: top,
        count: rows,
        rowHeight: this.#rowHeight,
        viewportHeight: window.innerHeight,
        marginPx: this.#margin,
      });
      next.set(id, nextWindow);
      if (!w || !sameWindow(w, nextWindow)) changed = true;
    }
    // A new row height moved every list below the first: measure once more with it.
    const wasMeasured = this.#measured;
    this.#measured = !heightChanged;
    // Not yet measured, the rows drawn already hold every row the screen needs (the first render
    // draws a screenful from the top, more than what is left below the header): nothing to redraw.
    const covered =
      !wasMeasured &&
      !heightChanged &&
      [...next].every(([id, w]) => coversWindow(this._windows.get(id) ?? EMPTY_WINDOW, w));
    if (covered) changed = false;
    if (changed) this._windows = next;
    // Unchanged: an update only to say the list is ready (a scroll that moved no row costs nothing).
    else if (!wasMeasured) this.requestUpdate();
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
        /* One height for every row: the list draws only the rows near the viewport and pads the rest. */
        --row-height: 3.75rem;
      }
      :host([hidden]) {
        display: none;
      }
      header {
        display: grid;
        gap: var(--mc-space-3);
        padding: var(--mc-space-4);
        background: var(--mc-surface);
        border-bottom: 1px solid var(--mc-border);
      }
      h1 {
        margin: 0;
        font-size: 1.35rem;
      }
      .counts {
        display: flex;
        flex-wrap: wrap;
        gap: var(--mc-space-1) var(--mc-space-4);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .counts strong {
        font-size: 1.1rem;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: var(--mc-space-2) var(--mc-space-4);
        align-items: end;
      }
      label {
        display: grid;
        gap: 2px;
        font-size: 0.85rem;
        color: var(--mc-text-muted);
        min-width: 0;
      }
      input,
      select {
        font: inherit;
        color: var(--mc-text);
        background: var(--mc-bg);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        padding: var(--mc-space-2);
        min-width: 10rem;
        max-width: 100%;
      }
      .search input {
        min-width: min(18rem, 80vw);
      }
      .showing {
        margin: 0;
        font-size: 0.9rem;
        color: var(--mc-text-muted);
      }
      main {
        padding: var(--mc-space-4);
        display: grid;
        gap: var(--mc-space-6);
      }
      section.org > h2 {
        font-size: 1.15rem;
        margin: 0 0 var(--mc-space-3);
        overflow-wrap: anywhere;
      }
      section.location {
        margin-bottom: var(--mc-space-4);
      }
      section.location > h3 {
        font-size: 1rem;
        margin: 0 0 var(--mc-space-2);
        color: var(--mc-text-muted);
        overflow-wrap: anywhere;
      }
      ul.machines {
        list-style: none;
        margin: 0;
        padding: 0;
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        background: var(--mc-surface);
        overflow: hidden;
      }
      li.machine {
        display: grid;
        /* name, state, part, version, platform, fragments */
        grid-template-columns: 3fr 3.5fr 2.5fr 2fr 2.5fr 3fr;
        gap: var(--mc-space-2) var(--mc-space-4);
        align-items: center;
        padding: var(--mc-space-2) var(--mc-space-3);
        border-top: 1px solid var(--mc-border);
        min-width: 0;
        box-sizing: border-box;
        height: var(--row-height);
        overflow: hidden;
      }
      li.machine:first-child {
        border-top: 0;
      }
      .name {
        font-weight: 600;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        text-align: start;
      }
      a.name {
        color: var(--mc-accent);
        text-decoration: underline;
        text-underline-offset: 2px;
      }
      button.name {
        background: none;
        border: 0;
        padding: 0;
        color: var(--mc-text);
        cursor: help;
        font-weight: 600;
      }
      .state {
        display: flex;
        align-items: center;
        gap: 6px;
        font-size: 0.9rem;
        min-width: 0;
      }
      .dot {
        flex: none;
        width: 0.65rem;
        height: 0.65rem;
        border-radius: 50%;
        background: var(--mc-text-muted);
      }
      [data-state='online'] .dot {
        background: var(--mc-ok);
      }
      [data-state='offline'] .dot {
        background: var(--mc-danger);
      }
      [data-state='awaiting-setup'] .dot {
        background: var(--mc-warning);
      }
      .fact {
        display: block;
        font-size: 0.85rem;
        min-width: 0;
      }
      .fact > * {
        display: block;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .fact .label {
        font-size: 0.72rem;
        color: var(--mc-text-muted);
      }
      ul.fragments {
        display: flex;
        flex-wrap: nowrap;
        overflow: hidden;
        gap: 4px;
        margin: 0;
        padding: 0;
        list-style: none;
        min-width: 0;
      }
      ul.fragments li {
        font-size: 0.75rem;
        padding: 1px 6px;
        border: 1px solid var(--mc-border);
        border-radius: 999px;
        max-width: 12rem;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .empty {
        padding: var(--mc-space-6);
        text-align: center;
        color: var(--mc-text-muted);
      }
      .truncated {
        margin: 0;
        color: var(--mc-warning);
      }
      .visually-hidden {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
      @media (max-width: 760px) {
        header,
        main {
          padding: var(--mc-space-3);
        }
        :host {
          --row-height: 7.5rem;
        }
        li.machine {
          grid-template-columns: repeat(3, minmax(0, 1fr));
        }
        .name,
        .state,
        ul.fragments {
          grid-column: 1 / -1;
        }
        form,
        label,
        input,
        select,
        .search input {
          width: 100%;
          min-width: 0;
        }
      }
    `,
  ];

  override render() {
    const counts = this.view?.counts;
    const filtered = isFiltered(this.filter);
    return html`
      <header>
        <h1>Fleet</h1>
        ${
          counts
            ? html`<ul class="counts" aria-label="Machines" data-counts>
                <li data-count="total">
                  <strong>${counts.total}</strong> ${counts.total === 1 ? 'machine' : 'machines'}
                </li>
                <li data-count="online"><strong>${counts.online}</strong> online</li>
                <li data-count="offline"><strong>${counts.offline}</strong> offline</li>
                <li data-count="awaiting-setup"><strong>${counts.awaitingSetup}</strong> awaiting setup</li>
              </ul>`
            : nothing
        }
        <fleet-status
          .fetchedAt=${this.fetchedAt}
          .pendingSince=${this.pendingSince}
          .error=${this.error}
        ></fleet-status>
        ${
          this.view?.truncated
            ? html`<p class="truncated" role="note" data-truncated>
                Viam returned as many machines as the list asks for (${this.view.machines.length}): there may
                be more that it cannot show.
              </p>`
            : nothing
        }
        ${this.#renderFilters()}
        ${
          filtered && this.view
            ? html`<p class="showing" role="status" data-showing>
                ${`Showing ${this.#filtered.length} of ${this.view.machines.length}`}
              </p>`
            : nothing
        }
      </header>
      <main aria-label="Machines">${this.#renderGroups()}</main>
    `;
  }

  #renderFilters() {
    const f = this.filter;
    const change = (patch: Partial<FleetFilter>) =>
      this.dispatchEvent(new FilterChangeEvent({ ...this.filter, ...patch }));
    const orgs = [...new Set(this.#options.locations.map((l) => l.orgName))];
    return html`<form role="search" aria-label="Find machines" @submit=${(e: Event) => e.preventDefault()}>
      <label class="search"
        >Search by name
        <input
          type="search"
          data-filter="query"
          autocomplete="off"
          spellcheck="false"
          .value=${f.query}
          @input=${(e: Event) => change({ query: (e.target as HTMLInputElement).value })}
      /></label>
      <label
        >Location
        <select
          data-filter="location"
          @change=${(e: Event) => change({ locationId: (e.target as HTMLSelectElement).value })}
        >
          <option value="" ?selected=${f.locationId === ''}>All locations</option>
          ${orgs.map(
            (org) =>
              html`<optgroup label=${org || 'Organization unknown'}>
                ${this.#options.locations
                  .filter((l) => l.orgName === org)
                  .map(
                    (l) =>
                      html`<option value=${l.id} ?selected=${f.locationId === l.id}>
                        ${shortName(l.name, 60)}
                      </option>`,
                  )}
              </optgroup>`,
          )}
        </select></label
      >
      <label
        >State
        <select
          data-filter="state"
          @change=${(e: Event) => change({ state: (e.target as HTMLSelectElement).value as MachineState | '' })}
        >
          <option value="" ?selected=${f.state === ''}>Any state</option>
          ${STATES.map((s) => html`<option value=${s} ?selected=${f.state === s}>${STATE_LABELS[s]}</option>`)}
        </select></label
      >
      <label
        >Fragment
        <select
          data-filter="fragment"
          @change=${(e: Event) => change({ fragmentId: (e.target as HTMLSelectElement).value })}
        >
          <option value="" ?selected=${f.fragmentId === ''}>Any fragment</option>
          ${this.#options.fragments.map(
            (fr) =>
              html`<option value=${fr.id} ?selected=${f.fragmentId === fr.id}>
                ${shortName(fr.name, 60)}
              </option>`,
          )}
        </select></label
      >
      ${
        isFiltered(f)
          ? html`<button
              type="button"
              data-action="clear-filters"
              @click=${() => this.dispatchEvent(new FilterChangeEvent(NO_FILTER))}
            >
              Clear filters
            </button>`
          : nothing
      }
    </form>`;
  }

  #renderGroups() {
    if (!this.view) return html`<p class="empty" role="status">Loading your machines…</p>`;
    if (this.view.machines.length === 0) {
      return html`<p class="empty" data-empty="fleet">
        Your account sees no machines yet. Machines you add in the Viam app, or that are shared with you,
        appear here.
      </p>`;
    }
    if (this.#filtered.length === 0) {
      return html`<p class="empty" data-empty="filter">No machine matches this search and these filters.</p>`;
    }
    const now = Date.now();
    return this.#groups.map(
      (org) =>
        html`<section class="org" data-org=${org.id}>
          ${
            org.id === '' && this.orgsPending
              ? nothing
              : html`<h2>
                  <bdi>${org.name === '' ? 'Organization unknown' : shortName(org.name, 120)}</bdi>
                </h2>`
          }
          ${org.locations.map((location) => {
            const n = location.machines.length;
            const w = this._windows.get(location.id) ?? EMPTY_WINDOW;
            return html`<section class="location" data-location=${location.id}>
              <h3><bdi>${shortName(location.name, 120)}</bdi>${` · ${count(n)}`}</h3>
              <ul class="machines" data-location=${location.id} data-rows=${n}>
                ${repeat(
                  location.machines.slice(w.start, w.end),
                  (m) => m.id,
                  (m, i) => {
                    const text = stateText(m, now);
                    return guard([m, text, w.start + i, n], () => this.#renderRow(m, text, w.start + i, n));
                  },
                )}
              </ul>
            </section>`;
          })}
        </section>`,
    );
  }

  #renderRow(m: FleetMachine, text: string, index: number, of: number) {
    const name = html`<bdi>${shortName(m.name)}</bdi>`;
    return html`<li
      class="machine"
      data-machine-id=${m.id}
      data-state=${m.state}
      aria-posinset=${index + 1}
      aria-setsize=${of}
    >
      ${
        m.state === 'online'
          ? html`<a class="name" href=${hashForMachine(m.id)} data-open=${m.id} title=${m.name}>${name}</a>`
          : html`<button
              type="button"
              class="name"
              data-blocked=${m.id}
              title=${m.name}
              @click=${() => this.dispatchEvent(new OpenBlockedEvent(m.id))}
            >
              ${name}<span class="visually-hidden"> (cannot be opened)</span>
            </button>`
      }
      <span class="state" data-state-text>
        <span class="dot" aria-hidden="true"></span><span>${text}</span>
      </span>
      <span class="fact" title=${m.mainPartName}
        ><span class="label">Main part</span><bdi data-main-part>${m.mainPartName || '—'}</bdi></span
      >
      <span class="fact"
        ><span class="label">viam-server</span><span data-version>${m.version || 'unknown'}</span></span
      >
      <span class="fact" title=${m.os}
        ><span class="label">Platform</span><span data-platform>${m.platform || 'unknown'}</span></span
      >
      ${
        m.fragments.length > 0
          ? html`<ul
              class="fragments"
              aria-label="Fragments"
              data-fragments
              title=${m.fragments.map((f) => f.name).join(', ')}
            >
              ${m.fragments.map((f) => html`<li title=${f.name}><bdi>${shortName(f.name, 40)}</bdi></li>`)}
            </ul>`
          : html`<span class="fact"><span class="label">No fragments</span></span>`
      }
    </li>`;
  }
}

customElements.define('fleet-list', FleetList);

declare global {
  interface HTMLElementTagNameMap {
    'fleet-list': FleetList;
  }
  interface HTMLElementEventMap {
    'filter-change': FilterChangeEvent;
    'open-blocked': OpenBlockedEvent;
    'list-complete': ListCompleteEvent;
  }
}
