import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { connectionContext, logSummaryContext } from '../contexts.ts';
import type { ConnectionSnapshot } from '../lib/connection-state.ts';
import { countsText } from '../lib/log-summary.ts';
import { describeLinkQuality, linkQuality, LINK_WINDOW } from '../lib/link-quality.ts';
import { describeOtherClients } from '../lib/other-clients.ts';
import { formatAge } from '../lib/time.ts';
import { base } from '../styles/tokens.ts';

export interface StopOutcome {
  readonly status: 'pending' | 'ok' | 'error';
  readonly message: string;
  readonly at: number;
}

/** The operator asked to stop everything (button or Escape). */
export class StopAllRequestEvent extends Event {
  static readonly type = 'stop-all-request';
  constructor() {
    super(StopAllRequestEvent.type, { bubbles: true, composed: true });
  }
}

/** Describes the connection in a few words, for the header indicator. */
export function describeConnection(c: ConnectionSnapshot, now = Date.now()): string {
  switch (c.phase) {
    case 'connecting':
      // The app always dials with a signaling address: WebRTC first (the SDK falls back to gRPC).
      return `Dialing over WebRTC${(c.attempt ?? 1) > 1 ? ` (attempt ${c.attempt ?? 1})` : ''}…`;
    case 'connected': {
      const transport = c.transport === 'grpc' ? 'gRPC' : 'WebRTC';
      return `Connected over ${transport}${c.rttMs === undefined ? '' : ` · ${c.rttMs.toFixed(0)} ms`}`;
    }
    case 'reconnecting': {
      const wait =
        c.nextAttemptAt === undefined
          ? ''
          : ` · next try in ${Math.max(0, Math.ceil((c.nextAttemptAt - now) / 1000))} s`;
      return `Reconnecting${c.attempt ? ` · attempt ${c.attempt}` : ''}${wait}`;
    }
    case 'failed':
      return 'Connection failed';
    case 'closed':
      return 'Disconnected';
  }
}

/**
 * The sticky top bar: machine name, connection and session health, round-trip time, and the stop
 * button, which is never more than one click (or Escape) away.
 *
 * @slot nav - navigation before the machine's name (the fleet's "Back")
 */
export class AppHeader extends LitElement {
  static override properties = {
    machineName: { type: String },
    stop: { attribute: false },
  };

  declare machineName: string;
  /** The last global stop's outcome. */
  declare stop: StopOutcome | undefined;

  #unsubscribeLogs: (() => void) | undefined;
  /** The logs panel's toggle, with the errors and warnings it counted. */
  readonly #logs = new ContextConsumer(this, {
    context: logSummaryContext,
    callback: (summary) => {
      this.#unsubscribeLogs?.();
      this.#unsubscribeLogs = summary?.subscribe(() => this.requestUpdate());
    },
  });
  readonly #connection = new ContextConsumer(this, {
    context: connectionContext,
    subscribe: true,
    callback: (c) => this.#recordRtt(c),
  });
  /** The last few connection checks' round trips, for the link's quality; a new connection starts afresh. */
  #rtts: number[] = [];
  #rttSeenAt: number | undefined;

  #recordRtt(c: ConnectionSnapshot): void {
    if (c.phase !== 'connected') {
      this.#rtts = [];
      this.#rttSeenAt = undefined;
      return;
    }
    if (c.rttMs === undefined || c.lastSeenAt === this.#rttSeenAt) return;
    this.#rttSeenAt = c.lastSeenAt;
    this.#rtts = [...this.#rtts, c.rttMs].slice(-LINK_WINDOW);
  }
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.machineName = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Countdowns and ages move even when nothing else changes.
    this.#ticker = setInterval(() => this.requestUpdate(), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#ticker);
    this.#unsubscribeLogs?.();
    this.#unsubscribeLogs = undefined;
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
        position: sticky;
        top: 0;
        z-index: 10;
        background: var(--mc-surface);
        border-bottom: 1px solid var(--mc-border);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--mc-space-2) var(--mc-space-4);
        padding: var(--mc-space-2) var(--mc-space-4);
      }
      .identity {
        flex: 1 1 12rem;
        min-width: 0;
      }
      h1 {
        margin: 0;
        font-size: 1.15rem;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .host {
        font-size: 0.8rem;
        color: var(--mc-text-muted);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .health {
        display: flex;
        flex-direction: column;
        font-size: 0.85rem;
        gap: 2px;
      }
      .dot {
        display: inline-block;
        width: 0.65rem;
        height: 0.65rem;
        border-radius: 50%;
        margin-right: 6px;
        background: var(--mc-text-muted);
        vertical-align: baseline;
      }
      .dot.connected {
        background: var(--mc-ok);
      }
      .dot.reconnecting,
      .dot.connecting {
        background: var(--mc-warning);
      }
      .dot.failed,
      .dot.closed {
        background: var(--mc-danger);
      }
      .dot.connected.degraded,
      .dot.connected.poor {
        background: var(--mc-warning);
      }
      .slow {
        color: var(--mc-warning);
      }
      .muted {
        color: var(--mc-text-muted);
      }
      .others {
        color: var(--mc-warning);
        font-weight: 600;
      }
      .session-detail {
        font-size: 0.75rem;
        max-width: 28rem;
      }
      .stop {
        display: flex;
        align-items: center;
        gap: var(--mc-space-2);
      }
      button.stop-all {
        background: var(--mc-danger);
        border-color: var(--mc-danger);
        color: var(--mc-danger-text);
        font-weight: 700;
        letter-spacing: 0.03em;
        padding: var(--mc-space-2) var(--mc-space-6);
        min-height: 2.75rem;
      }
      .outcome {
        font-size: 0.8rem;
        max-width: 16rem;
        overflow-wrap: anywhere;
      }
      .outcome.error {
        color: var(--mc-danger);
      }
      .outcome.ok {
        color: var(--mc-ok);
      }
      .logs-toggle[aria-pressed='true'] {
        border-color: var(--mc-accent);
      }
      .log-counts {
        color: var(--mc-danger);
        font-size: 0.85rem;
      }
    `,
  ];

  override render() {
    const c = this.#connection.value;
    const session = c?.session;
    const quality = c?.phase === 'connected' ? linkQuality(this.#rtts) : undefined;
    const qualityText = describeLinkQuality(quality);
    const sessionText = !session
      ? 'no session'
      : session.state === 'active'
        ? `session active${session.confirmedAt ? ` · confirmed ${formatAge(Date.now() - session.confirmedAt)}` : ''}`
        : session.state === 'unsupported'
          ? 'sessions unsupported by this machine'
          : `session ${session.state}${session.detail ? `: ${session.detail}` : ''}`;
    return html`
      <header>
        <slot name="nav"></slot>
        <div class="identity">
          <h1 data-machine-name>${this.machineName}</h1>
          <div class="host" data-hostname title=${c?.hostname ?? ''}>${c?.hostname ?? ''}</div>
        </div>
        <div class="health">
          <span
            role="status"
            aria-live="polite"
            data-connection=${c?.phase ?? 'connecting'}
            data-transport=${c?.transport ?? ''}
            data-link-quality=${quality ?? ''}
          >
            <span class="dot ${c?.phase ?? ''} ${quality ?? ''}" aria-hidden="true"></span
            >${c ? describeConnection(c) : ''}${
              qualityText ? html` · <strong class="slow">${qualityText}</strong>` : nothing
            }
          </span>
          ${
            c?.phase === 'connected'
              ? html`<span class="muted" data-session=${session?.state ?? 'none'}>${sessionText}</span> ${
                    session?.state === 'unsupported' && session.detail
                      ? html`<span class="muted session-detail" data-session-detail>${session.detail}</span>`
                      : nothing
                  }`
              : nothing
          }
          ${
            c?.phase === 'connected' && describeOtherClients(c.otherClients)
              ? html`<span class="others" data-other-clients=${c.otherClients ?? 0}
                  >${describeOtherClients(c.otherClients)}</span
                >`
              : nothing
          }
        </div>
        ${this.#renderLogsToggle()}
        <div class="stop">
          ${
            this.stop
              ? html`<span
                  class="outcome ${this.stop.status}"
                  role="status"
                  data-stop-outcome=${this.stop.status}
                  >${this.stop.message}</span
                >`
              : nothing
          }
          <button
            class="stop-all"
            data-action="stop-all"
            aria-keyshortcuts="Escape"
            title="Stop every component (Esc)"
            @click=${() => this.dispatchEvent(new StopAllRequestEvent())}
          >
            STOP <span aria-hidden="true">(Esc)</span>
          </button>
        </div>
      </header>
    `;
  }

  #renderLogsToggle() {
    const summary = this.#logs.value;
    if (!summary) return nothing;
    const { open, errors, warnings } = summary.state;
    return html`<button
      class="logs-toggle"
      data-action="toggle-logs"
      aria-pressed=${open ? 'true' : 'false'}
      title=${open ? 'Close the machine logs' : 'Open the machine logs'}
      @click=${() => summary.toggle()}
    >
      Logs${
        open && errors + warnings > 0
          ? html` <span
              class="log-counts"
              data-header-log-counts
              data-errors=${errors}
              data-warnings=${warnings}
              >${countsText({ error: errors, warn: warnings })}</span
            >`
          : nothing
      }
    </button>`;
  }
}

customElements.define('app-header', AppHeader);

declare global {
  interface HTMLElementTagNameMap {
    'app-header': AppHeader;
  }
  interface HTMLElementEventMap {
    'stop-all-request': StopAllRequestEvent;
  }
}
