import { InputControllerClient, InputControllerEvent, type RobotClient } from '@viamrobotics/sdk';
import { css, html, nothing } from 'lit';
import { PollController } from '../controllers/poll-controller.ts';
import { PadFeed, type FeedStop } from '../controllers/pad-feed.ts';
import { padName } from '../lib/gamepad.ts';
import { capText, inertText } from '../lib/inert-text.ts';
import { formatRelative } from '../lib/time.ts';
import { errorMessage } from '../lib/summarize.ts';
import { base } from '../styles/tokens.ts';
import { CardBase } from './card-base.ts';
import { rawService } from './sdk-service.ts';
import { cardStyles, pollStatusStyles, renderPollStatus } from './poll-status.ts';

interface ControlRow {
  readonly control: string;
  readonly event: string;
  readonly value: number;
  readonly at: number | undefined;
}

interface InputState {
  readonly controls: readonly string[];
  readonly rows: readonly ControlRow[];
}

type GetControlsClient = { getControls(request: { controller: string }): Promise<{ controls: string[] }> };

/** GetControls, which SDK 0.61.1 does not wrap. */
function getControls(client: RobotClient, controller: string): Promise<string[]> {
  return (rawService(client, InputControllerClient) as GetControlsClient)
    .getControls({ controller })
    .then((r) => r.controls);
}

const MAX_ROWS = 64;
const clean = (s: string) => capText(inertText(s), 60);

const STOP_TEXT: Record<FeedStop, string> = {
  off: 'Feed off: every control sent to rest, then Disconnect.',
  released: 'LB let go: every control sent to rest.',
  blur: 'Window lost focus: every control sent to rest. Let go of LB and press it again.',
  hidden: 'Tab hidden: every control sent to rest. Let go of LB and press it again.',
  stopped: 'STOP: every control sent to rest. Let go of LB and press it again.',
  'pad-lost': 'The gamepad went away: every control sent to rest, then Disconnect.',
  disconnected:
    'The connection dropped while feeding: nothing could be sent; the machine stops the base when the session expires.',
};

/**
 * Input controller: its controls (GetControls) and each one's last event (GetEvents), polled. A
 * `webgamepad` controller can be fed from this browser's gamepad (TriggerEvent), so a service on the
 * robot such as base_remote_control drives from it.
 */
export class InputControllerCard extends CardBase<InputControllerClient> {
  static override properties = { ...CardBase.properties, _feedError: { state: true } };
  declare _feedError: string | undefined;

  readonly #state = new PollController<InputState>(this, {
    key: () => this.resource?.key ?? '',
    intervalMs: () => (this.#feed.on ? 250 : 1000),
    task: async (robot) => {
      const name = this.resource?.name ?? '';
      const [controls, events] = await Promise.all([
        this.#controls?.robot === robot
          ? this.#controls.list
          : getControls(robot, name).then((list) => {
              this.#controls = { robot, list };
              return list;
            }),
        this.sdk(robot).getEvents(),
      ]);
      const rows = events.slice(0, MAX_ROWS).map((e) => ({
        control: clean(e.control),
        event: clean(e.event),
        value: Number.isFinite(e.value) ? e.value : 0,
        at: e.time ? Number(e.time.seconds) * 1000 + e.time.nanos / 1e6 : undefined,
      }));
      return { controls: controls.slice(0, MAX_ROWS).map(clean), rows };
    },
  });

  #controls: { robot: RobotClient; list: string[] } | undefined;

  readonly #feed = new PadFeed(this, {
    ready: () => this.connected,
    send: (event, time) => {
      const robot = this.clientContext.value;
      if (!robot || !this.connected) return Promise.reject(new Error('Not connected'));
      return this.sdk(robot).triggerEvent(
        new InputControllerEvent({ time: { seconds: time.seconds, nanos: time.nanos }, ...event }),
      );
    },
    failed: (error) => {
      this._feedError = `The controller did not take the event: ${errorMessage(error)}. Feed turned off.`;
    },
  });

  protected override createClient(robot: RobotClient, name: string): InputControllerClient {
    return new InputControllerClient(robot, name);
  }

  static override styles = [
    base,
    cardStyles,
    pollStatusStyles,
    css`
      table {
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
      }
      td,
      th {
        padding: 0.1rem 0.5rem;
        text-align: left;
      }
    `,
  ];

  #toggle(): void {
    this._feedError = undefined;
    if (this.#feed.on) this.#feed.turnOff('off');
    else this.#feed.turnOn();
  }

  #renderFeed() {
    const f = this.#feed;
    const pad = f.pad;
    return html`
      <div class="row">
        <button
          data-action="feed"
          aria-pressed=${f.on ? 'true' : 'false'}
          ?disabled=${!this.connected || (!f.on && !pad)}
          @click=${() => this.#toggle()}
        >
          ${f.on ? 'Stop feeding gamepad' : 'Feed from this gamepad'}
        </button>
        <span class="muted" data-feed-pad>${pad ? padName(pad.id) : 'No gamepad connected'}</span>
      </div>
      ${
        f.on
          ? html`<p data-feed-state=${f.blocked ? 'blocked' : 'on'}>
              ${f.blocked ? 'Let go of LB and press it again to feed.' : 'Hold LB to send; B is STOP.'}
              <span class="muted">${f.sentCount} events sent</span>
            </p>`
          : nothing
      }
      ${f.lastStop ? html`<p class="muted" data-feed-stop=${f.lastStop}>${STOP_TEXT[f.lastStop]}</p>` : nothing}
      ${this._feedError ? html`<p class="result error" role="alert">${this._feedError}</p>` : nothing}
    `;
  }

  override render() {
    const s = this.#state.value;
    const now = Date.now();
    return html`
      ${this.#renderFeed()}
      ${
        s
          ? html`<table data-events>
              <thead>
                <tr>
                  <th>Control</th>
                  <th>Last event</th>
                  <th>Value</th>
                  <th>When</th>
                </tr>
              </thead>
              <tbody>
                ${[...new Set([...s.controls, ...s.rows.map((r) => r.control)])].map((c) => {
                  const r = s.rows.find((row) => row.control === c);
                  return html`<tr data-control=${c}>
                    <td>${c}</td>
                    <td>${r?.event ?? '–'}</td>
                    <td>${r ? r.value.toFixed(2) : ''}</td>
                    <td>${r?.at !== undefined ? formatRelative(r.at, now) : ''}</td>
                  </tr>`;
                })}
              </tbody>
            </table>`
          : html`<span>…</span>`
      }
      ${renderPollStatus(this.#state)} ${this.renderResult()} ${this.renderDoCommand()}
    `;
  }
}

customElements.define('input-controller-card', InputControllerCard);

declare global {
  interface HTMLElementTagNameMap {
    'input-controller-card': InputControllerCard;
  }
}
