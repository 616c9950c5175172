import { ContextConsumer } from '@lit/context';
import type { RobotClient } from '@viamrobotics/sdk';
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { machineKeyContext } from '../contexts.ts';
import { PollController } from '../controllers/poll-controller.ts';
import {
  REFRESH_MODES,
  intervalFor,
  isRefreshMode,
  loadRefreshMode,
  localStore,
  prefKey,
  writePref,
  type RefreshMode,
} from '../lib/card-prefs.ts';
import type { ReadingNode } from '../lib/readings.ts';
import { SampleHistory } from '../lib/ring-buffer.ts';
import { base } from '../styles/tokens.ts';
import { cardStyles, pollStatusStyles, renderPollStatus } from './poll-status.ts';
import './reading-plot.ts';
import { CardBase } from './card-base.ts';

/**
 * A card's refresh rate, remembered per machine and resource. Loads when the machine key and the
 * resource are known (before the first poll is due) and reports changes so the poll can follow.
 */
export class RefreshSetting implements ReactiveController {
  mode: RefreshMode;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #resourceKey: () => string | undefined;
  readonly #fallback: RefreshMode;
  readonly #onChange: () => void;
  readonly #machine: ContextConsumer<typeof machineKeyContext, ReactiveControllerHost & HTMLElement>;
  #loadedFor: string | undefined;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    options: { resourceKey: () => string | undefined; fallback: RefreshMode; onChange: () => void },
  ) {
    this.#host = host;
    this.#resourceKey = options.resourceKey;
    this.#fallback = options.fallback;
    this.#onChange = options.onChange;
    this.mode = options.fallback;
    this.#machine = new ContextConsumer(host, {
      context: machineKeyContext,
      subscribe: true,
      callback: () => this.#load(),
    });
    host.addController(this);
  }

  /** ms between polls, or null when polls are off or manual. */
  get intervalMs(): number | null {
    return intervalFor(this.mode);
  }

  hostConnected(): void {
    this.#load();
  }

  hostUpdate(): void {
    this.#load();
  }

  set(mode: RefreshMode): void {
    const key = this.#storageKey();
    if (key !== undefined) writePref(localStore(), key, mode);
    if (mode === this.mode) return;
    this.mode = mode;
    this.#onChange();
    this.#host.requestUpdate();
  }

  #storageKey(): string | undefined {
    const resource = this.#resourceKey();
    if (resource === undefined) return undefined;
    return prefKey(this.#machine.value ?? '', resource, 'refresh');
  }

  #load(): void {
    const key = this.#storageKey();
    if (key === undefined || key === this.#loadedFor) return;
    this.#loadedFor = key;
    const mode = loadRefreshMode(localStore(), key, this.#fallback);
    if (mode === this.mode) return;
    this.mode = mode;
    this.#onChange();
    this.#host.requestUpdate();
  }
}

/** The refresh picker and the refresh-now button every polled card shows. */
export function renderRefreshControl(
  setting: RefreshSetting,
  poll: PollController<unknown>,
  options: { name: string; connected: boolean },
) {
  return html`<div class="refresh" role="group" aria-label=${`Refresh ${options.name}`}>
    <label
      >Refresh
      <select
        aria-label="Refresh rate"
        data-refresh-mode=${setting.mode}
        @change=${(e: Event) => {
          const value = (e.target as HTMLSelectElement).value;
          if (isRefreshMode(value)) {
            setting.set(value);
            if (value === 'manual') poll.refresh();
          }
        }}
      >
        ${REFRESH_MODES.map(
          (m) => html`<option value=${m.mode} ?selected=${m.mode === setting.mode}>${m.label}</option>`,
        )}
      </select></label
    >
    <button
      data-action="refresh"
      aria-label=${`Refresh ${options.name} now`}
      ?disabled=${!options.connected || setting.mode === 'off' || poll.pending}
      @click=${() => poll.refresh()}
    >
      ↻
    </button>
    ${
      setting.mode === 'off'
        ? html`<span class="muted" data-polling="off">Not polling</span>`
        : setting.mode === 'manual'
          ? html`<span class="muted" data-polling="manual">Manual</span>`
          : nothing
    }
  </div>`;
}

/** Readings as a nested list: groups (vectors, maps, lists) indent their members. */
export function renderReadingTree(nodes: readonly ReadingNode[], top = true): unknown {
  return html`<ul class="tree" role=${top ? 'list' : nothing} aria-label=${top ? 'Readings' : nothing}>
    ${nodes.map((n) => {
      if (n.kind === 'group')
        return html`<li data-reading=${n.path}>
          <span class="k">${n.key}</span>${n.type ? html` <span class="type">${n.type}</span>` : nothing}
          ${renderReadingTree(n.children, false)}
        </li>`;
      if (n.kind === 'geo')
        return html`<li data-reading=${n.path} data-geo=${`${n.lat},${n.lng}`}>
          <span class="k">${n.key}</span> <span class="v">${n.text}</span>
        </li>`;
      return html`<li data-reading=${n.path}>
        <span class="k">${n.key}</span> <span class="v" data-value>${n.text}</span>${
          n.unit ? html` <span class="unit">${n.unit}</span>` : nothing
        }
      </li>`;
    })}
  </ul>`;
}

export const senseStyles = css`
  .refresh {
    display: flex;
    gap: var(--mc-space-2);
    align-items: center;
  }
  .refresh button {
    padding: 2px 10px;
  }
  .tree {
    list-style: none;
    margin: 0;
    padding: 0;
    font-size: 0.9rem;
    font-variant-numeric: tabular-nums;
  }
  .tree .tree {
    padding-left: var(--mc-space-4);
    border-left: 1px solid var(--mc-border);
    margin-left: 2px;
  }
  .tree .k {
    color: var(--mc-text-muted);
  }
  .tree .k::after {
    content: ':';
  }
  .tree .type,
  .tree .unit {
    color: var(--mc-text-muted);
    font-size: 0.8em;
  }
  .commands {
    display: flex;
    flex-wrap: wrap;
    gap: var(--mc-space-2);
    align-items: center;
    margin-top: var(--mc-space-2);
  }
`;

/**
 * The shape of the polled "sense" cards (sensor, movement sensor, power sensor, encoder): one poll
 * task per refresh (all of a card's reads in one batch), a value view, live plots of the numeric
 * values, refresh control, poll status, and the DoCommand console.
 */
export abstract class SenseCard<T> extends CardBase<RobotClient> {
  protected readonly history = new SampleHistory();
  protected readonly refreshSetting: RefreshSetting;
  protected readonly poll: PollController<T>;
  #seen: number | undefined;
  #historyFor: string | undefined;

  constructor() {
    super();
    this.refreshSetting = new RefreshSetting(this, {
      resourceKey: () => this.resource?.key,
      fallback: '1000',
      onChange: () => this.poll.intervalChanged(),
    });
    this.poll = new PollController<T>(this, {
      key: () => this.resource?.key ?? '',
      intervalMs: () => this.refreshSetting.intervalMs,
      task: (client, signal) => this.read(client, signal),
    });
  }

  static override styles = [base, cardStyles, pollStatusStyles, senseStyles];

  /** Sense cards reach their API through their own SDK clients; the base's client is the robot. */
  protected override createClient(robot: RobotClient): RobotClient {
    return robot;
  }

  /** Everything one poll reads, in one batch. */
  protected abstract read(client: RobotClient, signal: AbortSignal): Promise<T>;
  /** The numeric values of one poll, by series name, for the plots. */
  protected abstract plotValues(value: T): Record<string, number>;
  protected abstract renderValues(value: T): unknown;
  /** Units of plotted series, where the card knows them. */
  protected plotUnits(): Readonly<Record<string, string>> {
    return {};
  }
  /** Commands the card offers (encoder reset…). */
  protected renderCommands(): unknown {
    return nothing;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    super.willUpdate(changed);
    const key = this.resource?.key;
    if (key !== this.#historyFor) {
      this.#historyFor = key;
      this.history.clear();
      this.#seen = undefined;
    }
    const at = this.poll.updatedAt;
    const value = this.poll.value;
    if (at !== undefined && at !== this.#seen && value !== undefined) {
      this.#seen = at;
      this.history.add(at, this.plotValues(value));
    }
  }

  override render() {
    const value = this.poll.value;
    const name = this.resource?.name ?? '';
    return html`
      <div class="top">
        ${renderRefreshControl(this.refreshSetting, this.poll, { name, connected: this.connected })}
      </div>
      <div data-values aria-live="off">${value === undefined ? nothing : this.renderValues(value)}</div>
      ${this.renderCommands()} ${this.renderResult()}
      <reading-plot
        .history=${this.history}
        .version=${this.history.version}
        .units=${this.plotUnits()}
        .label=${name}
      ></reading-plot>
      ${renderPollStatus(this.poll)} ${this.renderDoCommand()}
    `;
  }
}
