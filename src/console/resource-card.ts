import { LitElement, css, html, nothing } from 'lit';
import { CardFailedEvent } from '../cards/card-element.ts';
import { cardSize, createCard, type CardElement } from '../cards/registry.ts';
import { PollDataEvent } from '../controllers/poll-controller.ts';
import type { Resource, ResourceStatusView } from '../lib/resources.ts';
import { errorMessage } from '../lib/summarize.ts';
import { base } from '../styles/tokens.ts';

export type CardAction = 'collapse' | 'expand' | 'up' | 'down' | 'hide';

/** Fired when the operator rearranges cards; the dashboard stores the layout. */
export class CardLayoutEvent extends Event {
  static readonly type = 'card-layout';
  constructor(
    readonly key: string,
    readonly action: CardAction,
  ) {
    super(CardLayoutEvent.type, { bubbles: true, composed: true });
  }
}

function statusChanged(a: ResourceStatusView | undefined, b: ResourceStatusView | undefined): boolean {
  return a?.state !== b?.state || a?.error !== b?.error;
}

/** How far beyond the viewport a frame's card is made, so scrolling finds it ready. */
const NEAR_MARGIN = '800px 0px';
/**
 * Cards made (attached and first rendered) per task: a screenful of cards arriving at once would
 * otherwise render in one long task.
 */
const ATTACH_PER_TASK = 2;

/** One observer for every frame: whether it is near the viewport. */
let nearObserver: IntersectionObserver | undefined;
const nearFrames = new WeakMap<Element, ResourceCard>();

function observeNear(frame: ResourceCard): void {
  nearObserver ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        nearObserver?.unobserve(entry.target);
        nearFrames.get(entry.target)?.comeNear();
      }
    },
    { rootMargin: NEAR_MARGIN },
  );
  nearFrames.set(frame, frame);
  nearObserver.observe(frame);
}

function unobserveNear(frame: ResourceCard): void {
  nearObserver?.unobserve(frame);
}

/** Cards loaded and waiting to be attached, in the order they came. */
const attachQueue: (() => void)[] = [];
let attachScheduled = false;

function queueAttach(attach: () => void): void {
  attachQueue.push(attach);
  if (attachScheduled) return;
  attachScheduled = true;
  const run = () => {
    for (let i = 0; i < ATTACH_PER_TASK; i++) attachQueue.shift()?.();
    if (attachQueue.length > 0) setTimeout(run, 0);
    else attachScheduled = false;
  };
  setTimeout(run, 0);
}

/**
 * The frame around every card: name, API, health from the machine's status, and the operator's
 * collapse / move / hide controls. The card itself is imported lazily from the registry and made
 * only when the frame comes near the viewport (or at once when `eager`, a small machine); once made
 * it stays, pausing its polls while off screen. Until then a placeholder of the card's rough size
 * holds its place. A card that throws while rendering is replaced by a message, the rest carry on.
 */
export class ResourceCard extends LitElement {
  static override properties = {
    resource: { attribute: false },
    protoService: { attribute: false },
    // A new status arrives every second for every resource; the frame shows only state and error.
    status: { attribute: false, hasChanged: statusChanged },
    collapsed: { type: Boolean, reflect: true },
    first: { type: Boolean },
    last: { type: Boolean },
    eager: { type: Boolean },
    hold: { attribute: false },
    _loadError: { state: true },
  };

  declare resource: Resource | undefined;
  declare protoService: string;
  /** The resource's entry in the latest machine status, if any. */
  declare status: ResourceStatusView | undefined;
  declare collapsed: boolean;
  declare first: boolean;
  declare last: boolean;
  /** Make the card at once rather than when it comes near the viewport (a machine of few resources). */
  declare eager: boolean;
  /** The card is made only once this settles (the camera shown first: see cardsTurn). */
  declare hold: Promise<void> | undefined;
  declare _loadError: string | undefined;
  #near = false;

  #body: CardElement | undefined;

  /** The card inside, once its module is loaded. */
  get body(): CardElement | undefined {
    return this.#body;
  }

  #loading: Promise<void> | undefined;

  constructor() {
    super();
    this.protoService = '';
    this.collapsed = false;
    this.first = false;
    this.last = false;
    this.eager = false;
    this.addEventListener(CardFailedEvent.type, this.#onFailed);
    this.addEventListener(PollDataEvent.type, this.#onData);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#near) observeNear(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    unobserveNear(this);
  }

  /** The frame came near the viewport: time to make its card. */
  comeNear(): void {
    if (this.#near) return;
    this.#near = true;
    this.requestUpdate();
  }

  readonly #onFailed = (event: CardFailedEvent): void => {
    const body = this.#body;
    // (At this host, the event's target is retargeted to the frame: the card is its path's start.)
    if (body === undefined || event.composedPath()[0] !== body) return;
    event.stopPropagation();
    body.remove();
    this.#body = undefined;
    this._loadError = `This card stopped working: ${event.message}`;
    this.#markShowing();
  };

  readonly #onData = (event: PollDataEvent): void => {
    if (this.#body !== undefined && event.composedPath()[0] === this.#body) this.#markShowing();
  };

  /**
   * When the card first showed something (its first poll's answer, or, for a card without polls,
   * its first render): performance.now(), for the benchmark's "every card on screen shows data".
   */
  #markShowing(): void {
    if (!this.hasAttribute('data-showing')) this.setAttribute('data-showing', performance.now().toFixed(1));
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
        background: var(--mc-surface);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        min-width: 0;
        contain: layout paint;
      }
      /* The drive view on a phone held sideways floats the base's joystick over the video. */
      @container style(--mc-joystick-place: over-video) {
        :host {
          contain: none;
        }
      }
      header {
        display: flex;
        align-items: center;
        gap: var(--mc-space-2);
        padding: var(--mc-space-2) var(--mc-space-3);
        border-bottom: 1px solid var(--mc-border);
      }
      :host([collapsed]) header {
        border-bottom: none;
      }
      .title {
        flex: 1;
        min-width: 0;
      }
      h3 {
        margin: 0;
        font-size: 1rem;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .api {
        font-size: 0.78rem;
        color: var(--mc-text-muted);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .tools {
        display: flex;
        gap: 2px;
      }
      .tools button {
        padding: 2px 8px;
        min-width: 2rem;
        min-height: 2rem;
        border-color: transparent;
        background: transparent;
      }
      .tools button:hover {
        border-color: var(--mc-border);
      }
      .badge {
        font-size: 0.75rem;
        padding: 1px 8px;
        border-radius: 999px;
        border: 1px solid currentColor;
        white-space: nowrap;
      }
      .badge.unhealthy {
        color: var(--mc-danger);
      }
      .badge.configuring,
      .badge.removing {
        color: var(--mc-warning);
      }
      .health-error {
        margin: 0;
        padding: var(--mc-space-2) var(--mc-space-3);
        color: var(--mc-danger);
        font-size: 0.85rem;
        overflow-wrap: anywhere;
        max-height: 8rem;
        overflow: auto;
      }
      /* Roughly the card's height, so cards made above one in view shift it less. */
      .loading {
        min-height: 6rem;
        margin: 0;
        color: var(--mc-text-muted);
      }
      .loading[data-size='m'] {
        min-height: 12rem;
      }
      .loading[data-size='l'] {
        min-height: 20rem;
      }
      .body {
        padding: var(--mc-space-3);
        overflow-wrap: anywhere;
        min-width: 0;
      }
    `,
  ];

  override willUpdate(changed: Map<string, unknown>): void {
    if ((changed.has('resource') || changed.has('protoService')) && this.#body) {
      this.#body.resource = this.resource;
      this.#body.protoService = this.protoService;
    }
  }

  override updated(): void {
    const wanted = this.#near || this.eager;
    if (wanted && !this.collapsed && !this.#body && !this.#loading && !this._loadError && this.resource)
      void this.#load(this.resource);
  }

  async #load(resource: Resource): Promise<void> {
    const hold = this.hold ?? Promise.resolve();
    this.#loading = hold
      .then(() => createCard(this.resource ?? resource, this.protoService))
      .then(
        (element) =>
          new Promise<void>((resolve) =>
            queueAttach(() => {
              element.resource = this.resource;
              element.protoService = this.protoService;
              this.#body = element;
              this.toggleAttribute('data-loaded', true);
              this.requestUpdate();
              resolve();
              void this.#whenRendered(element);
            }),
          ),
        (error: unknown) => {
          this._loadError = `This card could not be loaded: ${errorMessage(error)}`;
        },
      );
    await this.#loading;
  }

  async #whenRendered(element: CardElement): Promise<void> {
    await this.updateComplete;
    if (!(element instanceof LitElement)) return;
    try {
      await element.updateComplete;
    } catch {
      // Its failure is reported by the card itself (CardFailedEvent).
    }
    if (!element.hasAttribute('data-polls')) this.#markShowing();
  }

  override render() {
    const r = this.resource;
    if (!r) return nothing;
    const state = this.status?.state;
    const showBadge = state !== undefined && state !== 'ready';
    const act = (action: CardAction) => () => this.dispatchEvent(new CardLayoutEvent(r.key, action));
    const bodyId = 'body';
    return html`
      <header>
        <div class="title">
          <h3 title=${r.name}>${r.name}</h3>
          <div class="api" title=${r.api}>${r.api}</div>
        </div>
        ${showBadge ? html`<span class="badge ${state}" data-health=${state}>${state}</span>` : nothing}
        <div class="tools" role="group" aria-label=${`Arrange ${r.name}`}>
          <button
            aria-expanded=${this.collapsed ? 'false' : 'true'}
            aria-controls=${bodyId}
            aria-label=${this.collapsed ? `Expand ${r.name}` : `Collapse ${r.name}`}
            data-action="collapse"
            @click=${act(this.collapsed ? 'expand' : 'collapse')}
          >
            ${this.collapsed ? '▸' : '▾'}
          </button>
          <button
            aria-label=${`Move ${r.name} earlier`}
            data-action="up"
            ?disabled=${this.first}
            @click=${act('up')}
          >
            ↑
          </button>
          <button
            aria-label=${`Move ${r.name} later`}
            data-action="down"
            ?disabled=${this.last}
            @click=${act('down')}
          >
            ↓
          </button>
          <button aria-label=${`Hide ${r.name}`} data-action="hide" @click=${act('hide')}>✕</button>
        </div>
      </header>
      ${
        state === 'unhealthy' && this.status?.error
          ? html`<p class="health-error" role="status" data-health-error>${this.status.error}</p>`
          : nothing
      }
      <div class="body" id=${bodyId} ?hidden=${this.collapsed}>
        ${
          this.collapsed
            ? nothing
            : this._loadError
              ? html`<p class="health-error" role="alert">${this._loadError}</p>`
              : (this.#body ??
                html`<p class="loading" data-size=${cardSize(r)}>
                  ${this.#near || this.eager ? 'Loading…' : ''}
                </p>`)
        }
      </div>
    `;
  }
}

customElements.define('resource-card', ResourceCard);

declare global {
  interface HTMLElementTagNameMap {
    'resource-card': ResourceCard;
  }
  interface HTMLElementEventMap {
    'card-layout': CardLayoutEvent;
  }
}
