import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { cloudAddress } from '../../config.ts';
import type { ConsoleTarget } from '../../console/machine-console.ts';
import type { EarlyFleet } from '../../cloud/fleet-request.ts';
import { FleetController, type MachineAddress } from '../../controllers/fleet-controller.ts';
import { explainConnectionProblem, type Explanation } from '../../lib/explanations.ts';
import {
  machineIdFromHash,
  NO_FILTER,
  reconcileFilter,
  shortName,
  whyNotOpenable,
  type FleetFilter,
  type FleetMachine,
} from '../../lib/fleet.ts';
import { tokenCredential, type UserTokenResult } from '../../lib/user-token.ts';
import { base, tokens } from '../../styles/tokens.ts';
import '../../widgets/problem-screen.ts';
import type { FilterChangeEvent, OpenBlockedEvent } from './fleet-list.ts';
import './fleet-list.ts';

/** The console shell, the same one the single-machine app mounts; fetched when first needed. */
const loadConsole = () => import('../../console/machine-console.ts');

type Opened =
  | { readonly phase: 'resolving'; readonly machineId: string; readonly machine: FleetMachine }
  | {
      readonly phase: 'open';
      readonly machineId: string;
      readonly machine: FleetMachine;
      readonly target: ConsoleTarget;
    }
  | {
      readonly phase: 'failed';
      readonly machineId: string;
      readonly machine: FleetMachine;
      readonly explanation: Explanation;
      readonly detail: string;
      readonly retry: boolean;
    };

/**
 * The fleet app's root. Its data path: userToken cookie -> cloud client (FleetController) -> the
 * list -> (machine, access token) -> the console shell (connection -> context -> cards). The opened
 * machine lives in the URL hash (`#/machine/<id>`), so a link or a reload opens it again; leaving it
 * removes the console, whose controllers then close the connection.
 */
export class FleetApp extends LitElement {
  static override properties = {
    readToken: { attribute: false },
    early: { attribute: false },
    _routeId: { state: true },
    _opened: { state: true },
    _filter: { state: true },
    _notice: { state: true },
  };

  /** Reads the user's token from its cookie now. Set before the element is attached. */
  declare readToken: (() => UserTokenResult) | undefined;
  /** The first list request, already out (the entry starts it). Set before the element is attached. */
  declare early: EarlyFleet | undefined;
  declare _routeId: string | undefined;
  declare _opened: Opened | undefined;
  declare _filter: FleetFilter;
  declare _notice: string | undefined;

  #fleet: FleetController | undefined;
  #listScroll = 0;
  #returnFocusTo: string | undefined;
  #prefetched = false;

  constructor() {
    super();
    this._filter = NO_FILTER;
    this._routeId = machineIdFromHash(window.location.hash);
  }

  override connectedCallback(): void {
    const readToken = this.readToken;
    if (readToken && !this.#fleet) {
      this.#fleet = new FleetController(this, {
        serviceHost: cloudAddress,
        readToken,
        ...(this.early ? { early: this.early } : {}),
      });
    }
    super.connectedCallback();
    window.addEventListener('hashchange', this.#onHashChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.#onHashChange);
  }

  readonly #onHashChange = (): void => {
    this._routeId = machineIdFromHash(window.location.hash);
  };

  override willUpdate(): void {
    const fleet = this.#fleet;
    if (!fleet) return;
    const state = fleet.state;
    if (state.view) {
      const reconciled = reconcileFilter(this._filter, state.view.options);
      if (reconciled !== this._filter) this._filter = reconciled;
    }
    const id = this._routeId;
    if (id === undefined) {
      if (this._opened) this.#close();
      return;
    }
    if (this._opened?.machineId === id) return;
    if (this._opened) this.#close();
    if (state.phase !== 'ready' || !state.view) return; // opened once the list is in
    const machine = state.view.byId.get(id);
    if (!machine) {
      this.#leave(
        `No machine “${shortName(id, 60)}” is in your fleet list: it may have been removed, or you no longer have access to it.`,
      );
      return;
    }
    const why = whyNotOpenable(machine, Date.now());
    if (why !== undefined) {
      this.#leave(why);
      return;
    }
    this.#listScroll = window.scrollY;
    this._notice = undefined;
    this._opened = { phase: 'resolving', machineId: id, machine };
    void this.#open(id, machine, fleet);
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('_opened')) {
      const opened = this._opened;
      document.title = opened ? `${opened.machine.name} · Viam Fleet Console` : 'Viam Fleet Console';
      if (!opened && changed.get('_opened') !== undefined) {
        // Back on the list: where the operator was, focus on the machine they came from.
        window.scrollTo(0, this.#listScroll);
        const id = this.#returnFocusTo;
        this.#returnFocusTo = undefined;
        const list = this.renderRoot.querySelector('fleet-list');
        const link = [...(list?.shadowRoot?.querySelectorAll<HTMLElement>('[data-open]') ?? [])].find(
          (el) => el.dataset['open'] === id,
        );
        link?.focus();
      }
    }
  }

  /**
   * Once the whole list is on the page and the browser is idle, the console downloads (and its module
   * runs, one long task) while the operator reads the list, so opening a machine is not a wait.
   */
  readonly #onListComplete = (): void => {
    if (this.#prefetched) return;
    this.#prefetched = true;
    const load = () => void loadConsole().catch(() => undefined);
    if ('requestIdleCallback' in window) requestIdleCallback(load, { timeout: 5000 });
    else setTimeout(load, 1000);
  };

  /** Back to the list (replacing the hash) with a notice saying why. */
  #leave(notice: string): void {
    this._notice = notice;
    this._routeId = undefined;
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
  }

  #close(): void {
    this.#returnFocusTo = this._opened?.machineId;
    this._opened = undefined;
  }

  async #open(id: string, machine: FleetMachine, fleet: FleetController): Promise<void> {
    let address: MachineAddress;
    try {
      [address] = await Promise.all([fleet.addressOf(id), loadConsole()]);
    } catch {
      address = { ok: false, reason: 'error', detail: 'part of the app failed to load' };
    }
    if (this._opened?.machineId !== id || this._opened.phase !== 'resolving') return;
    if (address.ok) {
      const readToken = this.readToken;
      const target: ConsoleTarget = {
        host: address.fqdn,
        machineKey: id,
        displayName: machine.name,
        // Read at every dial: the platform refreshes the token in its cookie.
        credential: () =>
          readToken ? tokenCredential(readToken()) : { problem: { kind: 'signed-out', detail: 'no token' } },
        secrets: () => fleet.secrets,
        // Its logs and cloud facts, read with the same token.
        machineId: id,
      };
      this._opened = { phase: 'open', machineId: id, machine, target };
      return;
    }
    if (address.reason === 'signed-out') return; // the whole app says so
    const explanation =
      address.reason === 'forbidden'
        ? explainConnectionProblem({ kind: 'forbidden', detail: address.detail }, machine.name)
        : address.reason === 'not-found'
          ? {
              id: 'machine-gone',
              title: 'This machine is gone',
              what: `Viam no longer knows ${machine.name}: it may have been deleted, or moved where you have no access.`,
              steps: ['Go back to the fleet: the list shows what is there now.'],
            }
          : address.reason === 'no-main-part'
            ? {
                id: 'machine-no-main-part',
                title: 'This machine has no main part',
                what: `${machine.name} has no main part to connect to yet.`,
                steps: ['Check the machine’s setup in the Viam app.'],
              }
            : {
                id: 'machine-lookup-failed',
                title: 'The machine’s address could not be looked up',
                what: `Viam’s cloud did not say where ${machine.name} is.`,
                steps: ['Retry in a moment.', 'Check this computer’s network connection.'],
              };
    this._opened = {
      phase: 'failed',
      machineId: id,
      machine,
      explanation,
      detail: address.detail,
      retry: address.reason === 'error',
    };
  }

  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--mc-bg);
        color: var(--mc-text);
      }
      .notice,
      .banner {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--mc-space-2) var(--mc-space-4);
        margin: 0;
        padding: var(--mc-space-3) var(--mc-space-4);
        background: var(--mc-surface);
        border-bottom: 3px solid var(--mc-warning);
        overflow-wrap: anywhere;
      }
      .notice p,
      .banner p {
        margin: 0;
        flex: 1 1 20rem;
      }
      a.back {
        display: inline-flex;
        align-items: center;
        min-height: 2.5rem;
        padding: 0 var(--mc-space-3);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        color: var(--mc-text);
        background: var(--mc-bg);
        text-decoration: none;
        font-weight: 600;
        white-space: nowrap;
      }
      .opening {
        display: grid;
        place-items: center;
        gap: var(--mc-space-4);
        min-height: 60vh;
        padding: var(--mc-space-6);
        color: var(--mc-text-muted);
        text-align: center;
        overflow-wrap: anywhere;
      }
    `,
  ];

  override render() {
    const fleet = this.#fleet;
    if (!fleet) return nothing;
    const state = fleet.state;
    const opened = this._opened;
    const signedOut = state.phase === 'signed-out' ? state.signedOut : undefined;
    if (signedOut && opened?.phase !== 'open') {
      return html`<problem-screen data-state="signed-out" .explanation=${signedOut}>
        <button class="primary" data-action="sign-in-retry" @click=${() => fleet.retry()}>Try again</button>
      </problem-screen>`;
    }
    return html`
      ${opened ? this.#renderOpened(opened, signedOut) : nothing}
      ${
        this._notice && !opened
          ? html`<div class="notice" role="alert" data-notice>
              <p>${this._notice}</p>
              <button data-action="dismiss-notice" @click=${() => (this._notice = undefined)}>Dismiss</button>
            </div>`
          : nothing
      }
      <fleet-list
        ?hidden=${opened !== undefined}
        .view=${state.view}
        .filter=${this._filter}
        .fetchedAt=${state.fetchedAt}
        .pendingSince=${state.pendingSince}
        .error=${state.error}
        .orgsPending=${state.orgsPending === true}
        @filter-change=${(e: FilterChangeEvent) => (this._filter = e.filter)}
        @open-blocked=${this.#onBlocked}
        @refresh-request=${() => void fleet.refresh()}
        @list-complete=${this.#onListComplete}
      ></fleet-list>
    `;
  }

  readonly #onBlocked = (e: OpenBlockedEvent): void => {
    const machine = this.#fleet?.state.view?.byId.get(e.machineId);
    if (machine) this._notice = whyNotOpenable(machine, Date.now());
  };

  #renderOpened(opened: Opened, signedOut: Explanation | undefined) {
    const back = html`<a slot="nav" class="back" href="#/" data-action="back">← Back to fleet</a>`;
    if (opened.phase === 'resolving') {
      return html`<div class="opening" role="status" data-state="opening">
        <p>
          Opening <strong><bdi>${shortName(opened.machine.name)}</bdi></strong
          >…
        </p>
        ${back}
      </div>`;
    }
    if (opened.phase === 'failed') {
      return html`<problem-screen
        data-state="open-failed"
        .explanation=${opened.explanation}
        .detail=${opened.detail}
      >
        ${
          opened.retry
            ? html`<button
                class="primary"
                data-action="retry-open"
                @click=${() => {
                  const fleet = this.#fleet;
                  if (!fleet) return;
                  this._opened = { phase: 'resolving', machineId: opened.machineId, machine: opened.machine };
                  void this.#open(opened.machineId, opened.machine, fleet);
                }}
              >
                Retry
              </button>`
            : nothing
        }
        ${back}
      </problem-screen>`;
    }
    const view = this.#fleet?.state.view;
    const vanished = view !== undefined && !view.truncated && !view.byId.has(opened.machineId);
    return html`
      ${
        vanished
          ? html`<div class="banner" role="alert" data-banner="vanished">
              <p>
                <bdi>${shortName(opened.machine.name)}</bdi> is no longer in your fleet list: it may have been
                removed, or your access changed. The console stays as long as its connection does.
              </p>
              <a class="back" href="#/">← Back to fleet</a>
            </div>`
          : nothing
      }
      ${
        signedOut
          ? html`<div class="banner" role="alert" data-banner="signed-out">
              <p>
                ${signedOut.title}: ${signedOut.what} This machine stays connected until its connection ends.
              </p>
            </div>`
          : nothing
      }
      ${keyed(opened.machineId, html`<machine-console .target=${opened.target}>${back}</machine-console>`)}
    `;
  }
}

customElements.define('fleet-app', FleetApp);

declare global {
  interface HTMLElementTagNameMap {
    'fleet-app': FleetApp;
  }
}
