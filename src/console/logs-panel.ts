import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { explainLogsProblem } from '../lib/cloud.ts';
import { LogFeed, type FeedPhase, type FeedStatus, type LogSource } from '../lib/log-feed.ts';
import {
  FLOOD_RATE_PER_S,
  LOG_LEVELS,
  linesText,
  treeText,
  type LogLevel,
  type LogLine,
} from '../lib/logs.ts';
import { countsText } from '../lib/log-summary.ts';
import { formatAbsolute, formatIso, formatRelative } from '../lib/time.ts';
import { base } from '../styles/tokens.ts';

/** Every row is this tall (px): windowed rendering needs no measuring. */
export const ROW_HEIGHT = 22;
/** The strip above the first row: loading older lines, or the start of history. */
const OLDER_HEIGHT = 28;
/**
 * Rows rendered beyond the visible ones, on each side: the list renders in the scroll event of
 * the very frame that shows it, so a small margin is enough, and every row costs paint.
 */
const OVERSCAN = 6;
/** A row shows at most this much of the fields (a wide window shows ~100 characters). */
const ROW_FIELDS_CHARS = 160;
/** A line's details show this much of a long message until "Show all". */
const DETAIL_CHARS = 8000;
/** Typing in the text filter applies it after this pause. */
const TEXT_DEBOUNCE_MS = 150;

/** What the panel counted, for the machine's header. */
export class LogsSummaryEvent extends Event {
  static readonly type = 'logs-summary';
  constructor(
    readonly errors: number,
    readonly warnings: number,
    readonly phase: FeedPhase,
  ) {
    super(LogsSummaryEvent.type, { bubbles: true, composed: true });
  }
}

/** The operator closed the panel. */
export class LogsCloseEvent extends Event {
  static readonly type = 'logs-close';
  constructor() {
    super(LogsCloseEvent.type, { bubbles: true, composed: true });
  }
}

const LEVEL_LABEL: Record<LogLevel, string> = { error: 'Error', warn: 'Warn', info: 'Info', debug: 'Debug' };

function phaseText(status: FeedStatus, now: number): string {
  switch (status.phase) {
    case 'idle':
      return 'Waiting';
    case 'connecting':
      return now - status.since > 2000
        ? `Waiting for the cloud (${Math.round((now - status.since) / 1000)} s)…`
        : 'Connecting…';
    case 'live':
      return 'Live';
    case 'retrying':
      return 'Retrying';
    case 'blocked':
      return 'Unavailable';
    case 'paused':
      return 'Paused (tab hidden)';
    case 'stopped':
      return 'Closed';
  }
}

/**
 * The machine's logs: a live tail that follows until the operator scrolls up (then "N new" and a
 * jump back), older history page by page on scroll, filters by level, logger and text (plain or
 * regex), relative or absolute times, a line's details on click, copy of the shown lines, and the
 * errors and warnings counted. Windowed: only the rows in view (plus a margin) exist in the DOM.
 * Its data comes from `source` (any LogSource); it keeps at most one stream open, and none while
 * closed, hidden or detached.
 *
 * @fires logs-summary - counts and state changed (LogsSummaryEvent)
 * @fires logs-close - the operator closed the panel
 */
export class LogsPanel extends LitElement {
  static override properties = {
    source: { attribute: false },
    _timeMode: { state: true },
    _selected: { state: true },
    _showAll: { state: true },
    _note: { state: true },
    _tall: { state: true },
    _text: { state: true },
    _regex: { state: true },
    _levels: { state: true },
    _logger: { state: true },
  };

  /** Where the lines come from. Changing it starts over with the new source. */
  declare source: LogSource | undefined;
  declare _timeMode: 'relative' | 'absolute';
  declare _selected: LogLine | undefined;
  declare _showAll: boolean;
  declare _note: string;
  declare _tall: boolean;
  declare _text: string;
  declare _regex: boolean;
  declare _levels: ReadonlySet<LogLevel>;
  declare _logger: string;

  #feed: LogFeed | undefined;
  #unsubscribe: (() => void) | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #textTimer: ReturnType<typeof setTimeout> | undefined;
  #noteTimer: ReturnType<typeof setTimeout> | undefined;
  #resize: ResizeObserver | undefined;
  #scroller: HTMLElement | undefined;
  #spacer: HTMLElement | undefined;
  #rows: HTMLElement | undefined;
  /** The list's scrollTop as last seen or set, so updated() need not read it (a forced layout). */
  #scrolledTo = 0;
  #scrollFrame: number | undefined;
  /** What updated() last wrote, so an unchanged layout costs nothing. */
  #applied = { height: -1, offset: -1 };
  /** Visible height of the list (px). */
  #viewport = 300;
  /** The scrollTop this render lays out for; applied in updated(). */
  #top = 0;
  /** The first line in view and how far into it the view starts, to hold still while lines come and go. */
  #anchor: { line: LogLine; offset: number } | undefined;
  /** A scroll position this element set itself (its scroll event is not the operator's). */
  #programmatic: number | undefined;
  #range = { first: 0, last: 0 };
  #clockCache = new WeakMap<LogLine, string>();
  #clockDay = 0;
  #lastSummary = '';

  constructor() {
    super();
    this._timeMode = 'relative';
    this._showAll = false;
    this._note = '';
    this._tall = false;
    this._text = '';
    this._regex = false;
    this._levels = new Set(LOG_LEVELS);
    this._logger = '';
  }

  /** The feed behind the panel (for tests and the benchmark). */
  get feed(): LogFeed | undefined {
    return this.#feed;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#onVisibility);
    window.addEventListener('pagehide', this.#onPageHide);
    window.addEventListener('pageshow', this.#onPageShow);
    this.#ticker = setInterval(() => {
      const status = this.#feed?.status;
      if (this._timeMode === 'relative' || status?.phase === 'connecting' || status?.phase === 'retrying')
        this.requestUpdate();
    }, 1000);
    this.#startFeed();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    window.removeEventListener('pagehide', this.#onPageHide);
    window.removeEventListener('pageshow', this.#onPageShow);
    clearInterval(this.#ticker);
    clearTimeout(this.#textTimer);
    clearTimeout(this.#noteTimer);
    if (this.#scrollFrame !== undefined) cancelAnimationFrame(this.#scrollFrame);
    this.#scrollFrame = undefined;
    this.#resize?.disconnect();
    this.#resize = undefined;
    this.#stopFeed();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source') && this.isConnected) {
      this.#stopFeed();
      this.#startFeed();
    }
  }

  #startFeed(): void {
    if (!this.source || this.#feed) return;
    // Five renders a second keep a fast tail readable without spending the page's frames on it.
    const feed = new LogFeed(this.source, { flushMs: 200 });
    this.#feed = feed;
    this.#anchor = undefined;
    this.#unsubscribe = feed.subscribe(() => this.#onFeed());
    this.#applyFilter();
    if (document.visibilityState === 'hidden') return; // started when the tab is shown
    feed.start();
  }

  #stopFeed(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#feed?.stop();
    this.#feed = undefined;
  }

  readonly #onVisibility = (): void => {
    const feed = this.#feed;
    if (!feed) return;
    if (document.visibilityState === 'hidden') feed.pause();
    else if (feed.status.phase === 'idle') feed.start();
    else feed.resume();
  };

  readonly #onPageHide = (): void => this.#feed?.pause();
  readonly #onPageShow = (): void => {
    if (document.visibilityState !== 'hidden') this.#feed?.resume();
  };

  #onFeed(): void {
    const feed = this.#feed;
    if (!feed) return;
    if (this._selected && !feed.store.has(this._selected.key)) this._selected = undefined;
    const counts = feed.store.counts;
    const summary = `${counts.error}/${counts.warn}/${feed.status.phase}`;
    if (summary !== this.#lastSummary) {
      this.#lastSummary = summary;
      this.dispatchEvent(new LogsSummaryEvent(counts.error, counts.warn, feed.status.phase));
    }
    this.requestUpdate();
  }

  // --- Filters ----------------------------------------------------------------------------

  #applyFilter(): void {
    this.#feed?.setFilter({
      levels: this._levels,
      logger: this._logger,
      text: this._text,
      regex: this._regex,
    });
  }

  #toggleLevel(level: LogLevel): void {
    const next = new Set(this._levels);
    if (next.has(level)) next.delete(level);
    else next.add(level);
    this._levels = next;
    this.#applyFilter();
  }

  #onText(event: InputEvent): void {
    this._text = (event.target as HTMLInputElement).value;
    clearTimeout(this.#textTimer);
    this.#textTimer = setTimeout(() => this.#applyFilter(), TEXT_DEBOUNCE_MS);
  }

  // --- Scrolling --------------------------------------------------------------------------

  /** Where the list's scrollTop should be for what the feed holds now. */
  #targetTop(count: number): number {
    const max = Math.max(0, OLDER_HEIGHT + count * ROW_HEIGHT - this.#viewport);
    const feed = this.#feed;
    if (!feed || feed.status.following || !this.#anchor) return max;
    const index = feed.view.lowerBound(this.#anchor.line);
    return Math.min(max, Math.max(0, OLDER_HEIGHT + index * ROW_HEIGHT + this.#anchor.offset));
  }

  readonly #onScroll = (): void => {
    const scroller = this.#scroller;
    const feed = this.#feed;
    if (!scroller || !feed) return;
    const top = scroller.scrollTop;
    this.#scrolledTo = top;
    const ours = this.#programmatic !== undefined && Math.abs(top - this.#programmatic) < 2;
    this.#programmatic = undefined;
    const atBottom = top + scroller.clientHeight >= scroller.scrollHeight - ROW_HEIGHT / 2;
    const lines = feed.view.lines;
    const index = Math.min(
      Math.max(0, Math.floor((top - OLDER_HEIGHT) / ROW_HEIGHT)),
      Math.max(0, lines.length - 1),
    );
    const line = lines[index];
    this.#anchor = line ? { line, offset: top - OLDER_HEIGHT - index * ROW_HEIGHT } : undefined;
    if (!ours) {
      feed.setFollowing(atBottom);
      if (top < OLDER_HEIGHT + 3 * ROW_HEIGHT && feed.status.older === 'idle' && lines.length > 0)
        void feed.loadOlder();
    }
    this.#top = top;
    const range = this.#rangeFor(top, lines.length);
    if (range.first !== this.#range.first || range.last !== this.#range.last) this.requestUpdate();
  };

  #rangeFor(top: number, count: number): { first: number; last: number } {
    const first = Math.max(0, Math.floor((top - OLDER_HEIGHT) / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(count, Math.ceil((top - OLDER_HEIGHT + this.#viewport) / ROW_HEIGHT) + OVERSCAN);
    return { first, last: Math.max(first, last) };
  }

  #jumpToLatest(): void {
    this.#feed?.jumpToLatest();
    this.#anchor = undefined;
    this.requestUpdate();
  }

  #onListKey(event: KeyboardEvent): void {
    if (event.key === 'End') {
      event.preventDefault();
      this.#jumpToLatest();
    } else if (event.key === 'Home' && this.#scroller) {
      event.preventDefault();
      this.#feed?.setFollowing(false);
      this.#scroller.scrollTop = 0;
    }
  }

  override firstUpdated(): void {
    const scroller = this.renderRoot.querySelector<HTMLElement>('.scroller');
    this.#spacer = this.renderRoot.querySelector<HTMLElement>('.spacer') ?? undefined;
    this.#rows = this.renderRoot.querySelector<HTMLElement>('.rows') ?? undefined;
    if (!scroller) return;
    this.#scroller = scroller;
    this.#viewport = scroller.clientHeight || this.#viewport;
    this.#resize = new ResizeObserver(() => {
      const height = scroller.clientHeight;
      if (height > 0 && height !== this.#viewport) {
        this.#viewport = height;
        this.requestUpdate();
      }
    });
    this.#resize.observe(scroller);
  }

  override updated(): void {
    // Sizes go through the CSSOM: the page's CSP refuses inline style attributes.
    const height = (this.#feed?.view.lines.length ?? 0) * ROW_HEIGHT;
    const offset = this.#range.first * ROW_HEIGHT;
    if (this.#spacer && height !== this.#applied.height) this.#spacer.style.height = `${height}px`;
    if (this.#rows && offset !== this.#applied.offset) this.#rows.style.transform = `translateY(${offset}px)`;
    this.#applied = { height, offset };
    // Moving the scroll position needs layout: do it in the next frame, with the layout the frame
    // does anyway, rather than forcing one now (a fast tail would pay for two layouts a render).
    if (this.#scroller && Math.abs(this.#scrolledTo - this.#top) > 1 && this.#scrollFrame === undefined) {
      this.#scrollFrame = requestAnimationFrame(() => {
        this.#scrollFrame = undefined;
        const scroller = this.#scroller;
        if (!scroller || Math.abs(this.#scrolledTo - this.#top) <= 1) return;
        this.#programmatic = this.#top;
        this.#scrolledTo = this.#top;
        scroller.scrollTop = this.#top;
      });
    }
  }

  // --- Actions ----------------------------------------------------------------------------

  async #copy(): Promise<void> {
    const lines = this.#feed?.view.lines ?? [];
    try {
      await navigator.clipboard.writeText(linesText(lines));
      this.#say(`Copied ${lines.length} ${lines.length === 1 ? 'line' : 'lines'}.`);
    } catch {
      this.#say('The clipboard refused the lines.');
    }
  }

  #say(note: string): void {
    this._note = note;
    clearTimeout(this.#noteTimer);
    this.#noteTimer = setTimeout(() => (this._note = ''), 2500);
  }

  #select(line: LogLine): void {
    this._selected = this._selected?.seq === line.seq ? undefined : line;
    this._showAll = false;
  }

  // --- Rendering --------------------------------------------------------------------------

  static override styles = [
    base,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 0;
        height: min(40vh, 26rem);
        background: var(--mc-surface);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        box-shadow: 0 -2px 12px rgb(0 0 0 / 0.08);
        overflow: hidden;
        contain: content;
      }
      :host([tall]) {
        height: 75vh;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--mc-space-2);
        padding: var(--mc-space-2) var(--mc-space-3);
        border-bottom: 1px solid var(--mc-border);
      }
      h2 {
        font-size: 1rem;
        margin: 0;
      }
      .counts {
        font-size: 0.85rem;
        color: var(--mc-danger);
        white-space: nowrap;
      }
      .state {
        font-size: 0.8rem;
        color: var(--mc-text-muted);
        white-space: nowrap;
      }
      .state[data-log-state='live']::before {
        content: '● ';
        color: var(--mc-ok);
      }
      .spacer-flex {
        flex: 1;
      }
      .bar button,
      .bar select,
      .bar input[type='search'] {
        font: inherit;
        font-size: 0.85rem;
        padding: 2px var(--mc-space-2);
        min-height: 1.9rem;
        border-radius: var(--mc-radius);
        border: 1px solid var(--mc-border);
        background: var(--mc-surface);
        color: var(--mc-text);
      }
      .bar input[type='search'] {
        width: 12rem;
        max-width: 40vw;
      }
      .bar input[aria-invalid='true'] {
        border-color: var(--mc-danger);
      }
      .bar select {
        max-width: 12rem;
      }
      .level-toggle[aria-pressed='false'] {
        color: var(--mc-text-muted);
        background: var(--mc-bg);
        text-decoration: line-through;
      }
      .level-error {
        color: var(--mc-danger);
      }
      .level-warn {
        color: var(--mc-warning);
      }
      .level-debug {
        color: var(--mc-text-muted);
      }
      .regex {
        font-size: 0.85rem;
        display: inline-flex;
        gap: 4px;
        align-items: center;
      }
      .notice {
        margin: 0;
        padding: var(--mc-space-1) var(--mc-space-3);
        font-size: 0.85rem;
        border-bottom: 1px solid var(--mc-border);
        overflow-wrap: anywhere;
      }
      .notice.problem {
        color: var(--mc-warning);
      }
      .notice.error {
        color: var(--mc-danger);
      }
      .body {
        flex: 1;
        min-height: 0;
        display: flex;
        flex-direction: column;
      }
      .list {
        position: relative;
        flex: 1;
        min-height: 0;
        min-width: 0;
        display: flex;
        flex-direction: column;
      }
      /* Wide: a line's details beside the list, so the list keeps its height. */
      @media (min-width: 900px) {
        .body {
          flex-direction: row;
        }
        .details {
          flex: 0 0 40%;
          max-height: none;
          border-top: none;
          border-left: 1px solid var(--mc-border);
        }
      }
      .scroller {
        flex: 1;
        min-height: 4rem;
        overflow: auto;
        overscroll-behavior: contain;
        font-family: var(--mc-font-mono);
        font-size: 12.5px;
        position: relative;
      }
      .older {
        height: ${OLDER_HEIGHT}px;
        box-sizing: border-box;
        display: flex;
        align-items: center;
        gap: var(--mc-space-2);
        padding: 0 var(--mc-space-3);
        color: var(--mc-text-muted);
        font-family: var(--mc-font);
        font-size: 0.8rem;
      }
      .older button {
        font-size: 0.8rem;
        padding: 0 var(--mc-space-2);
      }
      /* The spacer gives the list its full height; the rows sit over it, positioned in the
         scroller (whose size never changes), so a longer list does not lay the rows out again. */
      .spacer {
        width: 1px;
      }
      .rows {
        position: absolute;
        top: ${OLDER_HEIGHT}px;
        left: 0;
        right: 0;
        margin: 0;
        padding: 0;
        list-style: none;
        will-change: transform;
      }
      .rows li {
        height: ${ROW_HEIGHT}px;
      }
      .row {
        all: unset;
        box-sizing: border-box;
        display: flex;
        gap: var(--mc-space-2);
        width: 100%;
        height: ${ROW_HEIGHT}px;
        line-height: ${ROW_HEIGHT}px;
        padding: 0 var(--mc-space-3);
        white-space: nowrap;
        overflow: hidden;
        cursor: pointer;
        color: var(--mc-text);
      }
      .row:hover,
      .row[aria-expanded='true'] {
        background: color-mix(in srgb, var(--mc-accent) 12%, transparent);
      }
      .row:focus-visible {
        outline: 2px solid var(--mc-focus);
        outline-offset: -2px;
      }
      .row > span {
        flex: none;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .row .time {
        width: 6.5rem;
        color: var(--mc-text-muted);
      }
      .row.absolute .time {
        width: 12rem;
      }
      .row .lvl {
        width: 3.2rem;
        font-weight: 600;
        text-transform: uppercase;
      }
      .row .logger {
        width: 11rem;
        color: var(--mc-text-muted);
      }
      .row .msg {
        flex: 1 1 auto;
        min-width: 0;
      }
      .row .fields {
        flex: 0 1 auto;
        min-width: 0;
        max-width: 40%;
        color: var(--mc-text-muted);
      }
      .empty {
        padding: var(--mc-space-3);
        color: var(--mc-text-muted);
        font-family: var(--mc-font);
      }
      .jump {
        position: absolute;
        right: var(--mc-space-4);
        bottom: var(--mc-space-3);
        background: var(--mc-accent);
        border-color: var(--mc-accent);
        color: var(--mc-accent-text);
        font-size: 0.85rem;
        padding: var(--mc-space-1) var(--mc-space-3);
        box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
      }
      .details {
        max-height: 45%;
        overflow: auto;
        border-top: 1px solid var(--mc-border);
        padding: var(--mc-space-2) var(--mc-space-3);
        font-size: 0.85rem;
        contain: content;
      }
      .details dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 2px var(--mc-space-3);
        margin: 0 0 var(--mc-space-2);
      }
      .details dt {
        color: var(--mc-text-muted);
      }
      .details dd {
        margin: 0;
        overflow-wrap: anywhere;
        min-width: 0;
      }
      .details pre {
        margin: 0 0 var(--mc-space-2);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        font-family: var(--mc-font-mono);
        font-size: 12px;
        max-height: 20rem;
        overflow: auto;
        background: var(--mc-bg);
        padding: var(--mc-space-2);
        border-radius: var(--mc-radius);
      }
      .details .head {
        display: flex;
        gap: var(--mc-space-2);
        align-items: center;
        margin-bottom: var(--mc-space-1);
      }
      .details .head strong {
        flex: 1;
      }
      .muted {
        color: var(--mc-text-muted);
      }
    `,
  ];

  override render() {
    const feed = this.#feed;
    const now = Date.now();
    const status = feed?.status;
    const lines = feed?.view.lines ?? [];
    const count = lines.length;
    this.#top = this.#targetTop(count);
    this.#range = this.#rangeFor(this.#top, count);
    const counts = feed?.store.counts ?? { error: 0, warn: 0, info: 0, debug: 0 };
    const loggers = feed ? [...feed.store.loggers.keys()].sort().slice(0, 200) : [];
    if (this._logger !== '' && !loggers.includes(this._logger)) loggers.unshift(this._logger);
    const visible = lines.slice(this.#range.first, this.#range.last);
    const filterError = status?.filterError;
    return html`
      <section class="bar" aria-label="Log controls">
        <h2 id="logs-title">Logs</h2>
        <span class="counts" data-log-counts>${countsText(counts)}</span>
        <span class="state" data-log-state=${status?.phase ?? 'idle'}
          >${status ? phaseText(status, now) : ''}</span
        >
        <span class="spacer-flex"></span>
        ${LOG_LEVELS.map(
          (level) =>
            html`<button
              class="level-toggle level-${level}"
              data-level-filter=${level}
              aria-pressed=${this._levels.has(level) ? 'true' : 'false'}
              title="Show ${level} lines"
              @click=${() => this.#toggleLevel(level)}
            >
              ${LEVEL_LABEL[level]} ${counts[level]}
            </button>`,
        )}
        <select
          aria-label="Logger"
          data-logger-filter
          @change=${(e: Event) => {
            this._logger = (e.target as HTMLSelectElement).value;
            this.#applyFilter();
          }}
        >
          <option value="" ?selected=${this._logger === ''}>All loggers</option>
          ${loggers.map((l) => html`<option .value=${l} ?selected=${l === this._logger}>${l || '(none)'}</option>`)}
        </select>
        <input
          type="search"
          placeholder=${this._regex ? 'Filter (regular expression)' : 'Filter text'}
          aria-label="Filter log text"
          aria-invalid=${filterError ? 'true' : 'false'}
          aria-describedby="filter-error"
          data-text-filter
          .value=${this._text}
          @input=${(e: InputEvent) => this.#onText(e)}
        />
        <label class="regex">
          <input
            type="checkbox"
            data-regex-filter
            .checked=${this._regex}
            @change=${(e: Event) => {
              this._regex = (e.target as HTMLInputElement).checked;
              this.#applyFilter();
            }}
          />Regex
        </label>
        <button
          data-action="time-mode"
          title="Show times as ${this._timeMode === 'relative' ? 'clock times' : 'ages'}"
          @click=${() => (this._timeMode = this._timeMode === 'relative' ? 'absolute' : 'relative')}
        >
          ${this._timeMode === 'relative' ? 'Relative' : 'Absolute'} time
        </button>
        <button data-action="copy-logs" ?disabled=${count === 0} @click=${() => void this.#copy()}>
          Copy ${count} ${count === 1 ? 'line' : 'lines'}
        </button>
        <button
          data-action="tall"
          aria-pressed=${this._tall ? 'true' : 'false'}
          @click=${() => {
            this._tall = !this._tall;
            this.toggleAttribute('tall', this._tall);
          }}
        >
          ${this._tall ? 'Smaller' : 'Taller'}
        </button>
        <button data-action="close-logs" @click=${() => this.dispatchEvent(new LogsCloseEvent())}>
          Close
        </button>
      </section>
      ${this.#renderNotices(status, now)}
      <div class="body">
        <div class="list">
          <div
            class="scroller"
            tabindex="0"
            role="region"
            aria-labelledby="logs-title"
            data-log-scroller
            @scroll=${this.#onScroll}
            @keydown=${(e: KeyboardEvent) => this.#onListKey(e)}
          >
            <div class="older" data-older=${status?.older ?? 'idle'}>${this.#renderOlder(status, count)}</div>
            <div class="spacer"></div>
            <ol class="rows" aria-label="Log lines" data-log-lines>
              ${
                // By position, not keyed: scrolling rewrites the few rows on screen in place instead
                // of creating and removing elements for every line that passes.
                visible.map((line, i) => this.#renderRow(line, this.#range.first + i, count, now))
              }
            </ol>
            ${count === 0 && status?.phase === 'live' ? html`<p class="empty">No log lines${feed?.filter && this.#filtering() ? ' match the filter' : ' yet'}.</p>` : nothing}
          </div>
          ${
            status && !status.following && count > 0
              ? html`<button class="jump" data-action="jump-latest" @click=${() => this.#jumpToLatest()}>
                  ${status.newLines > 0 ? `${status.newLines} new ↓` : 'Latest ↓'}
                </button>`
              : nothing
          }
        </div>
        ${this._selected ? this.#renderDetails(this._selected, now) : nothing}
      </div>
    `;
  }

  #filtering(): boolean {
    return this._text !== '' || this._logger !== '' || this._levels.size < LOG_LEVELS.length;
  }

  #renderNotices(status: FeedStatus | undefined, now: number) {
    if (!status) {
      return html`<p class="notice" role="status">Logs are not available for this machine.</p>`;
    }
    const notes = [];
    if (status.problem && (status.phase === 'retrying' || status.phase === 'blocked')) {
      const retryIn = status.nextRetryAt === undefined ? undefined : Math.max(0, status.nextRetryAt - now);
      notes.push(
        html`<p class="notice problem" role="status" data-log-problem=${status.problem.kind}>
          ${explainLogsProblem(status.problem, this.#feed?.credential ?? 'api-key', retryIn)}
          ${status.phase === 'retrying' ? html`<button data-action="retry-logs" @click=${() => this.#feed?.retryNow()}>Retry now</button>` : nothing}
        </p>`,
      );
    }
    if (status.dropped > 0) {
      notes.push(
        html`<p class="notice problem" role="status" data-log-dropped=${status.dropped}>
          ${status.dropped} ${status.dropped === 1 ? 'line' : 'lines'} dropped: they came faster than
          ${FLOOD_RATE_PER_S} a
          second${status.droppedErrors > 0 ? ` (${status.droppedErrors} errors among them)` : ''}. They are
          still in the machine's history.
        </p>`,
      );
    }
    if (status.filterError) {
      notes.push(
        html`<p class="notice error" id="filter-error" role="alert" data-filter-error>
          Invalid regular expression: ${status.filterError.message}
        </p>`,
      );
    }
    if (this._note) notes.push(html`<p class="notice" role="status" data-log-note>${this._note}</p>`);
    return notes;
  }

  #renderOlder(status: FeedStatus | undefined, count: number) {
    switch (status?.older) {
      case 'loading':
        return html`Loading older lines…`;
      case 'end':
        return html`Start of the machine's log history.`;
      case 'error':
        return html`<span
            >Older lines could not be
            loaded${status.olderProblem ? `: ${status.olderProblem.detail}` : ''}.</span
          >
          <button data-action="load-older" @click=${() => void this.#feed?.loadOlder()}>Try again</button>`;
      default:
        return count > 0 && status?.phase !== 'blocked'
          ? html`<button data-action="load-older" @click=${() => void this.#feed?.loadOlder()}>
              Load older lines
            </button>`
          : nothing;
    }
  }

  /** A line's clock time, formatted once (the rows in view are rendered ten times a second). */
  #clockTime(line: LogLine, now: number): string {
    const day = Math.floor(now / 86_400_000);
    if (day !== this.#clockDay) {
      this.#clockCache = new WeakMap();
      this.#clockDay = day;
    }
    let text = this.#clockCache.get(line);
    if (text === undefined) {
      text = formatAbsolute(line.time, now);
      this.#clockCache.set(line, text);
    }
    return text;
  }

  #renderRow(line: LogLine, index: number, count: number, now: number) {
    const absolute = this._timeMode === 'absolute';
    const clock = this.#clockTime(line, now);
    const time = absolute ? clock : formatRelative(line.time, now);
    const other = absolute ? formatRelative(line.time, now) : clock;
    return html`<li aria-setsize=${count} aria-posinset=${index + 1}>
      <button
        class="row ${absolute ? 'absolute' : ''}"
        data-log-line
        data-level=${line.level}
        aria-expanded=${this._selected?.seq === line.seq ? 'true' : 'false'}
        @click=${() => this.#select(line)}
      >
        <span class="time" title=${other}>${time}</span>
        <span class="lvl level-${line.level}">${line.levelLabel || line.level}</span>
        <span class="logger" title=${line.logger}>${line.logger}</span>
        <span class="msg">${line.summary}</span>
        ${line.fieldsText === '' ? nothing : html`<span class="fields">${line.fieldsText.slice(0, ROW_FIELDS_CHARS)}</span>`}
      </button>
    </li>`;
  }

  #renderDetails(line: LogLine, now: number) {
    const long = line.message.length > DETAIL_CHARS && !this._showAll;
    const message = long ? line.message.slice(0, DETAIL_CHARS) : line.message;
    const cut = line.messageLength - line.message.length;
    return html`<section class="details" aria-label="Log line details" data-log-details>
      <div class="head">
        <strong class="level-${line.level}">${(line.levelLabel || line.level).toUpperCase()}</strong>
        <button data-action="close-details" @click=${() => (this._selected = undefined)}>
          Close details
        </button>
      </div>
      <dl>
        <dt>Time</dt>
        <dd>
          ${formatAbsolute(line.time, now)} · ${formatRelative(line.time, now)} · ${formatIso(line.time)}
        </dd>
        <dt>Logger</dt>
        <dd>${line.logger || '—'}</dd>
        ${
          line.caller
            ? html`<dt>Caller</dt>
                <dd>${line.caller}</dd>`
            : nothing
        }
        ${
          line.host
            ? html`<dt>Host</dt>
                <dd>${line.host}</dd>`
            : nothing
        }
      </dl>
      <pre data-log-message>${message}</pre>
      ${
        long
          ? html`<button data-action="show-all" @click=${() => (this._showAll = true)}>
              Show all ${line.message.length.toLocaleString()} characters
            </button>`
          : nothing
      }
      ${cut > 0 ? html`<p class="muted" data-truncated>Truncated: ${cut.toLocaleString()} more characters were not kept.</p>` : nothing}
      ${line.stack ? html`<pre data-log-stack>${line.stack}</pre>` : nothing}
      ${
        line.fields.length > 0
          ? html`<dl class="fields" data-log-fields>
                ${line.fieldPairs.map(
                  ([key, value]) =>
                    html`<dt>${key || '—'}</dt>
                      <dd data-field=${key}>${value}</dd>`,
                )}
              </dl>
              <details>
                <summary>Fields as sent</summary>
                <pre data-log-fields-raw>${line.fields.map((f) => treeText(f, 20_000, 2)).join('\n')}</pre>
              </details>`
          : nothing
      }
    </section>`;
  }
}

customElements.define('logs-panel', LogsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'logs-panel': LogsPanel;
  }
}
