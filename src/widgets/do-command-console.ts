import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { commandLogContext, connectionContext, machineKeyContext, robotClientContext } from '../contexts.ts';
import { localStore, prefKey, readPref, writePref } from '../lib/card-prefs.ts';
import { doCommand } from '../lib/do-command.ts';
import {
  FAVOURITES_LIMIT,
  HISTORY_LIMIT,
  canonical,
  commandLabel,
  parseCommandList,
  pushHistory,
  toggleFavourite,
} from '../lib/do-command-history.ts';
import type { Resource } from '../lib/resources.ts';
import { classifyRpcError } from '../lib/rpc-error.ts';
import { rpcErrorLabel } from '../lib/rpc-error-label.ts';
import { errorMessage } from '../lib/summarize.ts';
import { base } from '../styles/tokens.ts';

type Parsed = { ok: true; command: Record<string, unknown> } | { ok: false; message: string };

/** A DoCommand request must be a JSON object. */
export function parseCommand(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    return { ok: false, message: `Not valid JSON: ${errorMessage(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'DoCommand takes a JSON object, like {"command": "get_state"}.' };
  }
  return { ok: true, command: value as Record<string, unknown> };
}

/**
 * Send any JSON command to a resource with DoCommand and read the answer. Sent commands and the
 * operator's favourites are remembered per machine and resource (bounded) and can be recalled.
 */
export class DoCommandConsole extends LitElement {
  static override properties = {
    resource: { attribute: false },
    protoService: { attribute: false },
    _text: { state: true },
    _result: { state: true },
    _error: { state: true },
    _pending: { state: true },
    _history: { state: true },
    _favourites: { state: true },
  };

  /** The resource commands go to. */
  declare resource: Resource | undefined;
  /** The gRPC service of the resource's API. */
  declare protoService: string;
  declare _text: string;
  declare _result: string | undefined;
  declare _error: string | undefined;
  declare _pending: boolean;
  declare _history: readonly string[];
  declare _favourites: readonly string[];

  readonly #client = new ContextConsumer(this, { context: robotClientContext, subscribe: true });
  readonly #connection = new ContextConsumer(this, { context: connectionContext, subscribe: true });
  readonly #log = new ContextConsumer(this, { context: commandLogContext });
  readonly #machine = new ContextConsumer(this, {
    context: machineKeyContext,
    subscribe: true,
    callback: () => this.#loadMemory(),
  });
  #memoryFor: string | undefined;

  constructor() {
    super();
    this.protoService = '';
    this._text = '{\n  "command": "get_state"\n}';
    this._pending = false;
    this._history = [];
    this._favourites = [];
  }

  #memoryKey(name: 'history' | 'favourites'): string | undefined {
    const resource = this.resource?.key;
    return resource === undefined
      ? undefined
      : prefKey(this.#machine.value ?? '', resource, `do-command.${name}`);
  }

  #loadMemory(): void {
    const key = this.#memoryKey('history');
    if (key === undefined || key === this.#memoryFor) return;
    this.#memoryFor = key;
    const store = localStore();
    this._history = parseCommandList(readPref(store, key), HISTORY_LIMIT);
    this._favourites = parseCommandList(
      readPref(store, this.#memoryKey('favourites') ?? ''),
      FAVOURITES_LIMIT,
    );
  }

  #save(name: 'history' | 'favourites', list: readonly string[]): void {
    const key = this.#memoryKey(name);
    if (key !== undefined) writePref(localStore(), key, list);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('resource')) this.#loadMemory();
  }

  #recall(command: string): void {
    try {
      this._text = JSON.stringify(JSON.parse(command), null, 2);
    } catch {
      this._text = command;
    }
  }

  #toggleFavourite(command: string): void {
    this._favourites = toggleFavourite(this._favourites, command);
    this.#save('favourites', this._favourites);
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      label {
        display: block;
        font-size: 0.85rem;
        color: var(--mc-text-muted);
        margin-bottom: var(--mc-space-1);
      }
      textarea {
        box-sizing: border-box;
        width: 100%;
        min-height: 5.5rem;
        font-family: var(--mc-font-mono);
        font-size: 0.85rem;
        background: var(--mc-bg);
        color: var(--mc-text);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        padding: var(--mc-space-2);
        resize: vertical;
      }
      textarea[aria-invalid='true'] {
        border-color: var(--mc-danger);
      }
      .row {
        display: flex;
        gap: var(--mc-space-2);
        align-items: center;
        margin-top: var(--mc-space-2);
        flex-wrap: wrap;
      }
      .invalid,
      .error {
        color: var(--mc-danger);
        font-size: 0.85rem;
        overflow-wrap: anywhere;
      }
      .memory {
        display: flex;
        gap: var(--mc-space-2);
        flex-wrap: wrap;
        align-items: center;
        margin-top: var(--mc-space-2);
      }
      .memory select {
        font: inherit;
        font-family: var(--mc-font-mono);
        font-size: 0.8rem;
        max-width: 100%;
        min-width: 0;
        flex: 1;
        padding: 4px 6px;
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        background: var(--mc-bg);
        color: var(--mc-text);
      }
      .memory label {
        display: inline;
        margin: 0;
      }
      pre {
        margin: var(--mc-space-2) 0 0;
        max-height: 16rem;
        overflow: auto;
        background: var(--mc-bg);
        border-radius: var(--mc-radius);
        padding: var(--mc-space-2);
        font-size: 0.8rem;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
    `,
  ];

  override render() {
    const parsed = parseCommand(this._text);
    const connected = this.#connection.value?.phase === 'connected';
    const id = 'cmd';
    const current = parsed.ok ? canonical(parsed.command) : undefined;
    const favourite = current !== undefined && this._favourites.includes(current);
    return html`
      <label for=${id}>DoCommand (JSON object) — Ctrl+Enter sends</label>
      <textarea
        id=${id}
        spellcheck="false"
        aria-invalid=${parsed.ok ? 'false' : 'true'}
        aria-describedby="validation"
        .value=${this._text}
        @input=${(e: InputEvent) => (this._text = (e.target as HTMLTextAreaElement).value)}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void this.send();
          }
        }}
      ></textarea>
      <div class="row">
        <button
          class="primary"
          data-action="do-command"
          ?disabled=${!parsed.ok || !connected || this._pending}
          @click=${() => void this.send()}
        >
          ${this._pending ? 'Sending…' : 'Send'}
        </button>
        <button
          data-action="favourite"
          aria-pressed=${favourite ? 'true' : 'false'}
          ?disabled=${!parsed.ok}
          title=${favourite ? 'Remove from favourites' : 'Add to favourites'}
          @click=${() => current !== undefined && this.#toggleFavourite(current)}
        >
          ${favourite ? '★ Favourite' : '☆ Favourite'}
        </button>
        <span id="validation" class="invalid" aria-live="polite">${parsed.ok ? '' : parsed.message}</span>
      </div>
      ${this.#renderMemory('favourites', 'Favourites', this._favourites)}
      ${this.#renderMemory('history', 'History', this._history)}
      ${this._error !== undefined ? html`<p class="error" role="alert" data-result="error">${this._error}</p>` : ''}
      ${this._result !== undefined ? html`<pre data-result="ok" aria-label="Result">${this._result}</pre>` : ''}
    `;
  }

  #renderMemory(name: 'history' | 'favourites', label: string, list: readonly string[]) {
    if (list.length === 0) return nothing;
    const id = `memory-${name}`;
    return html`<div class="memory">
      <label for=${id}>${label}</label>
      <select
        id=${id}
        data-memory=${name}
        @change=${(e: Event) => {
          const select = e.target as HTMLSelectElement;
          const command = list[select.selectedIndex - 1];
          if (command !== undefined) this.#recall(command);
          select.selectedIndex = 0;
        }}
      >
        <option value="">${`Recall from ${label.toLowerCase()} (${list.length})…`}</option>
        ${list.map((c) => html`<option>${commandLabel(c)}</option>`)}
      </select>
    </div>`;
  }

  /** Sends the editor's command. */
  async send(): Promise<void> {
    const parsed = parseCommand(this._text);
    const client = this.#client.value;
    const log = this.#log.value;
    const resource = this.resource;
    if (!parsed.ok || !client || !resource || !log || this._pending) return;
    this._pending = true;
    this._error = undefined;
    this._history = pushHistory(this._history, canonical(parsed.command));
    this.#save('history', this._history);
    try {
      const result = await log.run(resource.name, 'DoCommand', parsed.command, () =>
        doCommand(client, this.protoService, resource.name, parsed.command),
      );
      this._result = JSON.stringify(result, null, 2);
    } catch (error: unknown) {
      this._result = undefined;
      const label = rpcErrorLabel(classifyRpcError(error).kind);
      this._error = `${label ? `${label}: ` : ''}${errorMessage(error)}`;
    } finally {
      this._pending = false;
    }
  }
}

customElements.define('do-command-console', DoCommandConsole);

declare global {
  interface HTMLElementTagNameMap {
    'do-command-console': DoCommandConsole;
  }
}
