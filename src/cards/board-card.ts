import { ContextConsumer } from '@lit/context';
import { BoardClient, type RobotClient } from '@viamrobotics/sdk';
import { css, html, nothing } from 'lit';
import { machineKeyContext } from '../contexts.ts';
import { PollController } from '../controllers/poll-controller.ts';
import { localStore, prefKey, readPref, rememberString, stringList, writePref } from '../lib/card-prefs.ts';
import { methodSupport, UNSUPPORTED } from '../lib/method-support.ts';
import { formatNumber } from '../lib/readings.ts';
import { SampleHistory } from '../lib/ring-buffer.ts';
import { errorMessage } from '../lib/summarize.ts';
import { base } from '../styles/tokens.ts';
import { cardStyles, pollStatusStyles, renderPollStatus, renderUnsupported } from './poll-status.ts';
import './reading-plot.ts';
import { RefreshSetting, renderRefreshControl, senseStyles } from './sense-card.ts';
import { CardBase, failureText } from './card-base.ts';

type Section = 'gpio' | 'pwm' | 'analog' | 'watch';
type Outcome = { state: 'pending' | 'ok' | 'error'; text: string };
type NameList = 'pins' | 'analogs' | 'interrupts';

interface Watched {
  readonly analogs: Readonly<Record<string, { value: number; volts: number | undefined }>>;
  readonly interrupts: Readonly<Record<string, number>>;
  /** Per-name read errors (a misspelt name), shown next to the name instead of failing the poll. */
  readonly errors: Readonly<Record<string, string>>;
}

/**
 * A board: GPIO get/set by pin, PWM duty cycle and frequency, analog read/write, and live values of
 * the analog readers and digital interrupts the operator watches. Names typed are remembered per
 * machine, since a board cannot list its pins.
 */
export class BoardCard extends CardBase<BoardClient> {
  static override properties = {
    _pin: { state: true },
    _duty: { state: true },
    _freq: { state: true },
    _analogPin: { state: true },
    _analogValue: { state: true },
    _watchName: { state: true },
    _lists: { state: true },
    _outcomes: { state: true },
  };

  declare _pin: string;
  declare _duty: number;
  declare _freq: number;
  declare _analogPin: string;
  declare _analogValue: number;
  declare _watchName: string;
  declare _lists: Readonly<Record<NameList, readonly string[]>>;
  declare _outcomes: Readonly<Partial<Record<Section, Outcome>>>;

  readonly #machine = new ContextConsumer(this, {
    context: machineKeyContext,
    subscribe: true,
    callback: () => this.#loadLists(),
  });
  readonly #history = new SampleHistory();
  readonly #refresh = new RefreshSetting(this, {
    resourceKey: () => this.resource?.key,
    fallback: '1000',
    onChange: () => this.#poll.intervalChanged(),
  });
  readonly #poll = new PollController<Watched>(this, {
    key: () => this.resource?.key ?? '',
    intervalMs: () => (this.#watching ? this.#refresh.intervalMs : null),
    task: (client) => this.#readWatched(client),
  });
  #listsFor: string | undefined;
  #seen: number | undefined;

  constructor() {
    super();
    this._pin = '';
    this._duty = 50;
    this._freq = 800;
    this._analogPin = '';
    this._analogValue = 0;
    this._watchName = '';
    this._lists = { pins: [], analogs: [], interrupts: [] };
    this._outcomes = {};
  }

  static override styles = [
    base,
    cardStyles,
    pollStatusStyles,
    senseStyles,
    css`
      fieldset {
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        margin: var(--mc-space-2) 0 0;
        padding: var(--mc-space-2) var(--mc-space-3);
        min-width: 0;
      }
      legend {
        font-size: 0.85rem;
        color: var(--mc-text-muted);
      }
      input[type='text'] {
        width: 8rem;
      }
      button {
        padding: 4px 12px;
      }
      .level {
        font-weight: 600;
      }
      .remove {
        padding: 0 8px;
      }
    `,
  ];

  get #watching(): boolean {
    return this._lists.analogs.length > 0 || this._lists.interrupts.length > 0;
  }

  protected override createClient(robot: RobotClient, name: string): BoardClient {
    return new BoardClient(robot, name);
  }

  #listKey(list: NameList): string | undefined {
    const key = this.resource?.key;
    return key === undefined ? undefined : prefKey(this.#machine.value ?? '', key, list);
  }

  #loadLists(): void {
    const id = this.#listKey('pins');
    if (id === undefined || id === this.#listsFor) return;
    this.#listsFor = id;
    const store = localStore();
    const load = (list: NameList) => stringList(readPref(store, this.#listKey(list) ?? ''), 12);
    this._lists = { pins: load('pins'), analogs: load('analogs'), interrupts: load('interrupts') };
    this._pin = this._lists.pins[0] ?? '';
    this.#poll.intervalChanged();
  }

  #setList(list: NameList, names: readonly string[]): void {
    this._lists = { ...this._lists, [list]: names };
    const key = this.#listKey(list);
    if (key !== undefined) writePref(localStore(), key, names);
  }

  #remember(list: NameList, name: string): void {
    this.#setList(list, rememberString(this._lists[list], name));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#loadLists();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('resource')) this.#loadLists();
    const at = this.#poll.updatedAt;
    const value = this.#poll.value;
    if (at !== undefined && at !== this.#seen && value) {
      this.#seen = at;
      const values: Record<string, number> = {};
      for (const [name, a] of Object.entries(value.analogs)) values[`analog ${name}`] = a.volts ?? a.value;
      for (const [name, n] of Object.entries(value.interrupts)) values[`interrupt ${name}`] = n;
      this.#history.add(at, values);
    }
  }

  async #readWatched(client: RobotClient): Promise<Watched> {
    const board = this.sdk(client);
    const key = this.resource?.key ?? '';
    const errors: Record<string, string> = {};
    const analogs: Record<string, { value: number; volts: number | undefined }> = {};
    const interrupts: Record<string, number> = {};
    // A model without analog readers (or interrupts) is asked once; after that those names are skipped.
    const analogNames = this.unsupported('ReadAnalogReader') ? [] : this._lists.analogs;
    const interruptNames = this.unsupported('GetDigitalInterruptValue') ? [] : this._lists.interrupts;
    await Promise.all([
      ...analogNames.map((name) =>
        methodSupport
          .call(client, key, 'ReadAnalogReader', () => board.readAnalogReader(name))
          .then(
            (r) => {
              if (r !== UNSUPPORTED)
                analogs[name] = {
                  value: r.value,
                  volts: r.stepSize > 0 ? r.minRange + r.value * r.stepSize : undefined,
                };
            },
            (error: unknown) => {
              errors[`analog:${name}`] = errorMessage(error);
            },
          ),
      ),
      ...interruptNames.map((name) =>
        methodSupport
          .call(client, key, 'GetDigitalInterruptValue', () => board.getDigitalInterruptValue(name))
          .then(
            (v) => {
              if (v !== UNSUPPORTED) interrupts[name] = v;
            },
            (error: unknown) => {
              errors[`interrupt:${name}`] = errorMessage(error);
            },
          ),
      ),
    ]);
    const failed = Object.keys(errors).length;
    const asked = analogNames.length + interruptNames.length;
    // Every read failing is the board (or the connection) failing: let the poll show and back off.
    if (asked > 0 && failed === asked) throw new Error(Object.values(errors)[0] ?? 'reads failed');
    return { analogs, interrupts, errors };
  }

  async #run(section: Section, method: string, args: unknown, send: (b: BoardClient) => Promise<string>) {
    if (!this.connected) return;
    this._outcomes = { ...this._outcomes, [section]: { state: 'pending', text: `${method}…` } };
    try {
      const text = await this.command(method, args, send);
      this._outcomes = { ...this._outcomes, [section]: { state: 'ok', text } };
    } catch (error: unknown) {
      this._outcomes = {
        ...this._outcomes,
        [section]: { state: 'error', text: failureText(method, error) },
      };
    }
  }

  #pinOk(): boolean {
    return this._pin.trim() !== '';
  }

  #gpioSet(high: boolean): void {
    const pin = this._pin.trim();
    this.#remember('pins', pin);
    void this.#run('gpio', 'SetGPIO', { pin, high }, async (b) => {
      await b.setGPIO(pin, high);
      return `Pin ${pin} set ${high ? 'high' : 'low'}`;
    });
  }

  #gpioGet(): void {
    const pin = this._pin.trim();
    this.#remember('pins', pin);
    void this.#run(
      'gpio',
      'GetGPIO',
      { pin },
      async (b) => `Pin ${pin} is ${(await b.getGPIO(pin)) ? 'high' : 'low'}`,
    );
  }

  #pwmGet(): void {
    const pin = this._pin.trim();
    this.#remember('pins', pin);
    void this.#run('pwm', 'GetPWM', { pin }, async (b) => {
      const [duty, freq] = await Promise.all([b.getPWM(pin), b.getPWMFrequency(pin)]);
      return `Pin ${pin}: duty ${formatNumber(duty * 100)} %, ${formatNumber(freq)} Hz`;
    });
  }

  #pwmSetDuty(): void {
    const pin = this._pin.trim();
    const pct = this._duty;
    this.#remember('pins', pin);
    void this.#run('pwm', 'SetPWM', { pin, dutyCyclePct: pct / 100 }, async (b) => {
      await b.setPWM(pin, pct / 100);
      return `Pin ${pin} duty set to ${formatNumber(pct)} %`;
    });
  }

  #pwmSetFreq(): void {
    const pin = this._pin.trim();
    const hz = this._freq;
    this.#remember('pins', pin);
    void this.#run('pwm', 'SetPWMFrequency', { pin, frequencyHz: hz }, async (b) => {
      await b.setPWMFrequency(pin, hz);
      return `Pin ${pin} frequency set to ${formatNumber(hz)} Hz`;
    });
  }

  #analogRead(): void {
    const name = this._analogPin.trim();
    this.#remember('analogs', name);
    void this.#run('analog', 'ReadAnalogReader', { name }, async (b) => {
      const r = await b.readAnalogReader(name);
      const volts = r.stepSize > 0 ? ` (${formatNumber(r.minRange + r.value * r.stepSize)} V)` : '';
      return `${name} reads ${r.value}${volts}`;
    });
  }

  #analogWrite(): void {
    const pin = this._analogPin.trim();
    const value = Math.round(this._analogValue);
    void this.#run('analog', 'WriteAnalog', { pin, value }, async (b) => {
      await b.writeAnalog(pin, value);
      return `Wrote ${value} to ${pin}`;
    });
  }

  #addWatch(list: 'analogs' | 'interrupts'): void {
    const name = this._watchName.trim();
    if (name === '') return;
    this.#remember(list, name);
    this._watchName = '';
    this.#poll.intervalChanged();
    this.#poll.refresh();
  }

  #unwatch(list: 'analogs' | 'interrupts', name: string): void {
    this.#setList(
      list,
      this._lists[list].filter((n) => n !== name),
    );
    // The plot's series follow the watch list: start it afresh rather than keep a dead series.
    this.#history.clear();
    this.#poll.intervalChanged();
  }

  #outcome(section: Section) {
    const o = this._outcomes[section];
    return o
      ? html`<p
          class="result ${o.state === 'error' ? 'error' : ''}"
          role="status"
          data-outcome=${section}
          data-state=${o.state}
        >
          ${o.text}
        </p>`
      : nothing;
  }

  #num(event: Event): number {
    return Number((event.target as HTMLInputElement).value);
  }

  override render() {
    const connected = this.connected;
    const name = this.resource?.name ?? '';
    const pinOk = this.#pinOk();
    const busy = (s: Section) => this._outcomes[s]?.state === 'pending';
    const watched = this.#poll.value;
    const dutyOk = Number.isFinite(this._duty) && this._duty >= 0 && this._duty <= 100;
    const noAnalogRead = this.unsupported('ReadAnalogReader');
    const noInterrupts = this.unsupported('GetDigitalInterruptValue');
    const freqOk = Number.isFinite(this._freq) && this._freq >= 0;
    return html`
      <datalist id="pins">${this._lists.pins.map((p) => html`<option value=${p}></option>`)}</datalist>
      <datalist id="analogs">${this._lists.analogs.map((p) => html`<option value=${p}></option>`)}</datalist>

      <fieldset data-section="gpio">
        <legend>GPIO and PWM</legend>
        <div class="row">
          <label
            >Pin
            <input
              type="text"
              list="pins"
              data-input="pin"
              autocomplete="off"
              .value=${this._pin}
              @input=${(e: Event) => (this._pin = (e.target as HTMLInputElement).value)}
          /></label>
          <button
            data-action="gpio-get"
            ?disabled=${!connected || !pinOk || busy('gpio')}
            @click=${() => this.#gpioGet()}
          >
            Get
          </button>
          <button
            data-action="gpio-high"
            ?disabled=${!connected || !pinOk || busy('gpio')}
            @click=${() => this.#gpioSet(true)}
          >
            Set high
          </button>
          <button
            data-action="gpio-low"
            ?disabled=${!connected || !pinOk || busy('gpio')}
            @click=${() => this.#gpioSet(false)}
          >
            Set low
          </button>
        </div>
        ${this.#outcome('gpio')}
        <div class="row">
          <label
            >Duty %
            <input
              type="number"
              min="0"
              max="100"
              step="1"
              data-input="duty"
              aria-invalid=${dutyOk ? 'false' : 'true'}
              .value=${String(this._duty)}
              @input=${(e: Event) => (this._duty = this.#num(e))}
          /></label>
          <button
            data-action="pwm-duty"
            ?disabled=${!connected || !pinOk || !dutyOk || busy('pwm')}
            @click=${() => this.#pwmSetDuty()}
          >
            Set duty
          </button>
          <label
            >Frequency Hz
            <input
              type="number"
              min="0"
              step="1"
              data-input="frequency"
              aria-invalid=${freqOk ? 'false' : 'true'}
              .value=${String(this._freq)}
              @input=${(e: Event) => (this._freq = this.#num(e))}
          /></label>
          <button
            data-action="pwm-frequency"
            ?disabled=${!connected || !pinOk || !freqOk || busy('pwm')}
            @click=${() => this.#pwmSetFreq()}
          >
            Set frequency
          </button>
          <button
            data-action="pwm-get"
            ?disabled=${!connected || !pinOk || busy('pwm')}
            @click=${() => this.#pwmGet()}
          >
            Read PWM
          </button>
        </div>
        ${this.#outcome('pwm')}
      </fieldset>

      <fieldset data-section="analog">
        <legend>Analog</legend>
        <div class="row">
          <label
            >Reader / pin
            <input
              type="text"
              list="analogs"
              data-input="analog"
              autocomplete="off"
              .value=${this._analogPin}
              @input=${(e: Event) => (this._analogPin = (e.target as HTMLInputElement).value)}
          /></label>
          <button
            data-action="analog-read"
            ?disabled=${!connected || this._analogPin.trim() === '' || busy('analog') || noAnalogRead}
            @click=${() => this.#analogRead()}
          >
            Read
          </button>
          <label
            >Value
            <input
              type="number"
              step="1"
              data-input="analog-value"
              .value=${String(this._analogValue)}
              @input=${(e: Event) => (this._analogValue = this.#num(e))}
          /></label>
          <button
            data-action="analog-write"
            ?disabled=${!connected || this._analogPin.trim() === '' || !Number.isFinite(this._analogValue) || busy('analog') || this.unsupported('WriteAnalog')}
            @click=${() => this.#analogWrite()}
          >
            Write
          </button>
        </div>
        ${noAnalogRead ? html`<p>${renderUnsupported('ReadAnalogReader', 'Analog readers: not supported by this model')}</p>` : nothing}
        ${this.unsupported('WriteAnalog') ? html`<p>${renderUnsupported('WriteAnalog', 'Analog write: not supported by this model')}</p>` : nothing}
        ${this.#outcome('analog')}
      </fieldset>

      <fieldset data-section="watch">
        <legend>Watched readers and interrupts</legend>
        <div class="row">
          <label
            >Name
            <input
              type="text"
              data-input="watch-name"
              autocomplete="off"
              .value=${this._watchName}
              @input=${(e: Event) => (this._watchName = (e.target as HTMLInputElement).value)}
              @keydown=${(e: KeyboardEvent) => {
                if (e.key === 'Enter') this.#addWatch('interrupts');
              }}
          /></label>
          <button
            data-action="watch-analog"
            ?disabled=${this._watchName.trim() === '' || noAnalogRead}
            @click=${() => this.#addWatch('analogs')}
          >
            Watch analog
          </button>
          <button
            data-action="watch-interrupt"
            ?disabled=${this._watchName.trim() === '' || noInterrupts}
            @click=${() => this.#addWatch('interrupts')}
          >
            Watch interrupt
          </button>
          ${renderRefreshControl(this.#refresh, this.#poll, { name, connected })}
        </div>
        ${
          this.#watching
            ? html`<dl class="values" data-watched>
                  ${this._lists.analogs.map((n) => {
                    const v = watched?.analogs[n];
                    const err = watched?.errors[`analog:${n}`];
                    return html`<dt>analog ${n}</dt>
                      <dd data-analog=${n}>
                        ${noAnalogRead ? renderUnsupported('ReadAnalogReader') : err ? html`<span class="result error">${err}</span>` : v ? html`<span data-value>${v.value}</span>${v.volts !== undefined ? ` (${formatNumber(v.volts)} V)` : ''}` : '…'}
                        <button
                          class="remove"
                          aria-label=${`Stop watching analog ${n}`}
                          @click=${() => this.#unwatch('analogs', n)}
                        >
                          ✕
                        </button>
                      </dd>`;
                  })}
                  ${this._lists.interrupts.map((n) => {
                    const v = watched?.interrupts[n];
                    const err = watched?.errors[`interrupt:${n}`];
                    return html`<dt>interrupt ${n}</dt>
                      <dd data-interrupt=${n}>
                        ${noInterrupts ? renderUnsupported('GetDigitalInterruptValue') : err ? html`<span class="result error">${err}</span>` : v !== undefined ? html`<span data-value>${v}</span>` : '…'}
                        <button
                          class="remove"
                          aria-label=${`Stop watching interrupt ${n}`}
                          @click=${() => this.#unwatch('interrupts', n)}
                        >
                          ✕
                        </button>
                      </dd>`;
                  })}
                </dl>
                <reading-plot
                  .history=${this.#history}
                  .version=${this.#history.version}
                  .label=${name}
                ></reading-plot>
                ${renderPollStatus(this.#poll)}`
            : html`<p class="muted">
                A board cannot list its pins: name an analog reader or digital interrupt to watch it live.
              </p>`
        }
      </fieldset>
      ${this.renderDoCommand()}
    `;
  }
}

customElements.define('board-card', BoardCard);

declare global {
  interface HTMLElementTagNameMap {
    'board-card': BoardCard;
  }
}
