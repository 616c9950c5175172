import { ContextConsumer } from '@lit/context';
import type { RobotClient } from '@viamrobotics/sdk';
import {
  LitElement,
  html,
  nothing,
  type PropertyDeclarations,
  type PropertyValues,
  type TemplateResult,
} from 'lit';
import '../widgets/confirm-bar.ts';
import type { ConfirmEvent } from '../widgets/confirm-bar.ts';
import '../widgets/do-command-console.ts';
import { commandLogContext, connectionContext, robotClientContext } from '../contexts.ts';
import type { MotionTracker } from '../controllers/motion-guard.ts';
import { ResourceGoneEvent, SessionLapsedEvent } from '../controllers/poll-controller.ts';
import { motionReady } from '../lib/connection-state.ts';
import { methodSupport } from '../lib/method-support.ts';
import { confirmLargeMotions } from '../lib/motion-prefs.ts';
import type { Resource } from '../lib/resources.ts';
import { classifyRpcError } from '../lib/rpc-error.ts';
import { rpcErrorLabel } from '../lib/rpc-error-label.ts';
import { errorMessage } from '../lib/summarize.ts';
import { containUpdate, type CardElement } from './card-element.ts';

export interface CommandResult {
  readonly status: 'pending' | 'ok' | 'error';
  readonly text: string;
}

/**
 * What every resource card shares: the resource it shows, the SDK client for it (made anew for each
 * connection, never kept across one), commands through the command log with a pending/result line,
 * and the inline confirmation for large motions. Subclasses render their controls.
 */
export abstract class CardBase<C> extends LitElement implements CardElement {
  static override properties: PropertyDeclarations = {
    resource: { attribute: false },
    protoService: { attribute: false },
    _result: { state: true },
    _confirm: { state: true },
  };

  /** The resource this card shows. */
  declare resource: Resource | undefined;
  /** The gRPC service of the resource's API (for DoCommand). */
  declare protoService: string;
  declare _result: CommandResult | undefined;
  declare _confirm: { message: string; run: () => void } | undefined;

  protected readonly clientContext = new ContextConsumer(this, {
    context: robotClientContext,
    subscribe: true,
  });
  protected readonly connectionContext = new ContextConsumer(this, {
    context: connectionContext,
    subscribe: true,
  });
  protected readonly logContext = new ContextConsumer(this, { context: commandLogContext });
  #sdk: { robot: RobotClient; name: string; client: C } | undefined;

  constructor() {
    super();
    this.protoService = '';
  }

  /** A throw while rendering stays in this card: its frame shows why (see containUpdate). */
  protected override update(changed: PropertyValues): void {
    containUpdate(this, () => super.update(changed));
  }

  /** Makes the SDK's client for this resource type. */
  protected abstract createClient(robot: RobotClient, name: string): C;

  protected get connected(): boolean {
    return this.connectionContext.value?.phase === 'connected' && this.clientContext.value !== undefined;
  }

  /** Connected, and motion may start: the machine session is not being started (see motionReady). */
  protected get motionReady(): boolean {
    return this.connected && motionReady(this.connectionContext.value);
  }

  /** Why a motion card's controls wait, while they wait for the machine session. */
  protected renderSessionWait(): TemplateResult | typeof nothing {
    if (!this.connected || this.motionReady) return nothing;
    const why =
      this.connectionContext.value?.session?.renewing === true
        ? "The machine let this page's session lapse (it stopped what the page moved): a new one is starting, and motion waits for it."
        : 'Starting the machine session: motion waits for it, so the machine stops what this page moves if the page vanishes.';
    return html`<p class="muted" role="status" data-session-wait>${why}</p>`;
  }

  /** The SDK client for this resource on the current connection. */
  protected sdk(robot: RobotClient): C {
    const name = this.resource?.name ?? '';
    if (this.#sdk?.robot !== robot || this.#sdk.name !== name) {
      this.#sdk = { robot, name, client: this.createClient(robot, name) };
    }
    return this.#sdk.client;
  }

  /**
   * True once the machine said this resource's model lacks `method` (on this connection): its control
   * is then disabled with a note rather than sent again.
   */
  protected unsupported(method: string): boolean {
    return methodSupport.unsupported(this.clientContext.value, this.resource?.key ?? '', method);
  }

  /**
   * Sends one command through the command log. Rejects when not connected, and, without a call, when
   * the model is known to lack the method. A Stop always goes out while there is a client, connected
   * or not: when a connection this page was driving on stops answering, the dead-man's Stop has to
   * leave on it (a slow link delivers it, in order behind the motion it stops; a dead one fails it).
   */
  protected command<T>(method: string, args: unknown, call: (client: C) => Promise<T>): Promise<T> {
    const robot = this.clientContext.value;
    const log = this.logContext.value;
    const name = this.resource?.name;
    const key = this.resource?.key ?? '';
    if (!robot || !log || name === undefined || (method !== 'Stop' && !this.connected))
      return Promise.reject(new Error('Not connected'));
    if (method !== 'Stop' && methodSupport.unsupported(robot, key, method))
      return Promise.reject(new Error(`${method} is not supported by this model`));
    const client = this.sdk(robot);
    return log
      .run(name, method, args, () => call(client))
      .catch((error: unknown) => {
        const { kind } = classifyRpcError(error);
        if (!methodSupport.learn(robot, key, method, error) && kind === 'not-found')
          this.dispatchEvent(new ResourceGoneEvent(key));
        if (kind === 'session-expired') this.dispatchEvent(new SessionLapsedEvent());
        throw error;
      });
  }

  /**
   * Runs a command the operator asked for, showing pending and its result. Motion commands pass their
   * card's guard so that dead-man triggers stop them too. Resolves with the result, or undefined on
   * failure (already shown).
   */
  protected async act<T>(
    method: string,
    args: unknown,
    call: (client: C) => Promise<T>,
    options: { guard?: MotionTracker; done?: (result: T) => string } = {},
  ): Promise<T | undefined> {
    this._result = { status: 'pending', text: `${method}…` };
    try {
      const run = () => this.command(method, args, call);
      const result = await (options.guard ? options.guard.track(run) : run());
      this._result = { status: 'ok', text: options.done ? options.done(result) : `${method} done` };
      return result;
    } catch (error: unknown) {
      this._result = { status: 'error', text: failureText(method, error) };
      return undefined;
    }
  }

  /** Runs `run` now, or after the operator confirms when `large` and confirmations are on. */
  protected confirmIf(large: boolean, message: string, run: () => void): void {
    if (large && confirmLargeMotions()) this._confirm = { message, run };
    else run();
  }

  readonly #onConfirm = (event: ConfirmEvent): void => {
    const pending = this._confirm;
    this._confirm = undefined;
    if (event.confirmed) pending?.run();
  };

  protected renderConfirm() {
    return this._confirm
      ? html`<confirm-bar .message=${this._confirm.message} @confirm-answer=${this.#onConfirm}></confirm-bar>`
      : nothing;
  }

  protected renderResult() {
    const r = this._result;
    return r
      ? html`<p class="result ${r.status === 'error' ? 'error' : ''}" role="status" data-result=${r.status}>
          ${r.text}
        </p>`
      : nothing;
  }

  protected renderDoCommand() {
    return renderDoCommand(this.resource, this.protoService);
  }
}

/** "GoTo failed (not supported by this model): …": the kind of failure before the machine's words. */
export function failureText(method: string, error: unknown): string {
  const label = rpcErrorLabel(classifyRpcError(error).kind);
  return `${method} failed${label ? ` (${label.toLowerCase()})` : ''}: ${errorMessage(error)}`;
}

/** The collapsible DoCommand console at the bottom of every dedicated card. */
export function renderDoCommand(resource: Resource | undefined, protoService: string) {
  return html`<details class="do-command" data-section="do-command">
    <summary>DoCommand</summary>
    <do-command-console .resource=${resource} .protoService=${protoService}></do-command-console>
  </details>`;
}

/** The "Moving" row of a card's values: yes / no, or … before the first answer. */
export function movingRow(moving: boolean | undefined) {
  return html`<dt>Moving</dt>
    <dd data-moving=${moving === undefined ? '' : String(moving)}>
      ${moving === undefined ? '…' : moving ? 'yes' : 'no'}
    </dd>`;
}

/** Reads a number from an input event; NaN when the field is empty or not a number. */
export function numberFrom(event: Event): number {
  const value = (event.target as HTMLInputElement).value.trim();
  return value === '' ? Number.NaN : Number(value);
}
