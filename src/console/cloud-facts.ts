import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import type { CloudAccess } from '../cloud/cloud-access.ts';
import type { Fact, MachineFacts } from '../cloud/machine-cloud.ts';
import { cloudContext } from '../contexts.ts';
import { backoffDelay } from '../lib/backoff.ts';
import {
  classifyCloudError,
  onlineLabel,
  type CloudProblem,
  type HistoryItem,
  type OnlineView,
} from '../lib/cloud.ts';
import { formatAbsolute, formatAge } from '../lib/time.ts';
import { base } from '../styles/tokens.ts';

/** Retries when the cloud could not be reached at all; then the operator's button. */
const MAX_ATTEMPTS = 4;
const HISTORY_SHOWN = 10;

/**
 * What Viam's cloud knows of this machine: organization and location names, whether the cloud sees
 * it online (and when it last was), and who changed its config when. Loaded once, after the
 * machine's first status; a failing cloud is said here and nowhere else waits on it.
 */
export class CloudFacts extends LitElement {
  static override properties = {
    _facts: { state: true },
    _loading: { state: true },
    _problem: { state: true },
  };
  declare _facts: MachineFacts | undefined;
  declare _loading: boolean;
  declare _problem: CloudProblem | undefined;

  readonly #cloud = new ContextConsumer(this, {
    context: cloudContext,
    callback: (cloud) => {
      if (cloud && this.isConnected) this.#load(cloud, 0);
    },
  });
  #timer: ReturnType<typeof setTimeout> | undefined;
  #abort: AbortController | undefined;
  #started = false;

  constructor() {
    super();
    this._loading = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const cloud = this.#cloud.value;
    if (cloud && !this.#started) this.#load(cloud, 0);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
    this.#abort?.abort();
    this.#started = false;
  }

  #load(cloud: CloudAccess, attempt: number): void {
    clearTimeout(this.#timer);
    this.#abort?.abort();
    const controller = new AbortController();
    this.#abort = controller;
    this.#started = true;
    this._loading = true;
    void (async () => {
      try {
        const machine = await cloud.machine();
        const facts = await machine.facts(controller.signal);
        if (controller.signal.aborted) return;
        this._facts = facts;
        const failures = [facts.online, facts.location, facts.organization, facts.history].flatMap((f) =>
          f.ok ? [] : [f.error],
        );
        const problem = failures.length > 0 ? classifyCloudError(failures[0], cloud.secrets()) : undefined;
        // Everything failed for a reason that may pass: try again later.
        this._problem = failures.length === 4 ? problem : undefined;
        if (failures.length === 4 && problem?.retry && attempt + 1 < MAX_ATTEMPTS)
          this.#retryLater(cloud, attempt);
      } catch (error: unknown) {
        if (controller.signal.aborted) return;
        const problem = classifyCloudError(error, cloud.secrets());
        this._problem = problem;
        if (problem.retry && attempt + 1 < MAX_ATTEMPTS) this.#retryLater(cloud, attempt);
      } finally {
        if (!controller.signal.aborted) this._loading = false;
      }
    })();
  }

  #retryLater(cloud: CloudAccess, attempt: number): void {
    this.#timer = setTimeout(() => this.#load(cloud, attempt + 1), backoffDelay(attempt, 2000, 30_000));
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
        margin: 0 0 var(--mc-space-3);
      }
      h3 {
        font-size: 0.8rem;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--mc-text-muted);
        margin: 0 0 var(--mc-space-1);
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: var(--mc-space-1) var(--mc-space-3);
        margin: 0;
        font-size: 0.9rem;
      }
      dt {
        color: var(--mc-text-muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
        min-width: 0;
      }
      .online {
        color: var(--mc-ok);
      }
      .offline {
        color: var(--mc-danger);
      }
      .muted,
      .note {
        color: var(--mc-text-muted);
      }
      .note {
        font-size: 0.85rem;
        margin: var(--mc-space-1) 0 0;
      }
      ol {
        margin: var(--mc-space-1) 0 0;
        padding-left: 1.2rem;
        font-size: 0.85rem;
      }
      summary {
        cursor: pointer;
      }
      button {
        font-size: 0.8rem;
        padding: 0 var(--mc-space-2);
      }
    `,
  ];

  override render() {
    const cloud = this.#cloud.value;
    if (!cloud) return nothing;
    const facts = this._facts;
    const now = Date.now();
    return html`<section aria-labelledby="cloud-title" data-cloud-facts>
      <h3 id="cloud-title">In Viam's cloud</h3>
      ${
        facts
          ? html`<dl>
              <dt>Organization</dt>
              <dd data-cloud-org>${this.#text(facts.organization)}</dd>
              <dt>Location</dt>
              <dd data-cloud-location>${this.#text(facts.location)}</dd>
              <dt>Cloud state</dt>
              <dd data-cloud-online=${facts.online.ok ? facts.online.value.state : 'unknown'}>
                ${facts.online.ok ? this.#online(facts.online.value, now) : this.#unknown(facts.online)}
              </dd>
              <dt>Config</dt>
              <dd data-cloud-history>${this.#history(facts.history, now)}</dd>
            </dl>`
          : this._loading
            ? html`<p class="note" role="status">Asking the cloud…</p>`
            : nothing
      }
      ${
        this._problem
          ? html`<p class="note" role="status" data-cloud-problem=${this._problem.kind}>
              ${this.#problemText(this._problem)}
              <button data-action="cloud-retry" @click=${() => this.#load(cloud, 0)}>Try again</button>
            </p>`
          : nothing
      }
    </section>`;
  }

  #problemText(problem: CloudProblem): string {
    const who = this.#cloud.value?.credentialKind === 'access-token' ? 'your account' : 'this key';
    switch (problem.kind) {
      case 'denied':
      case 'not-found':
        return `The cloud shows nothing of this machine to ${who}.`;
      case 'unauthenticated':
        return `The cloud did not accept ${who}.`;
      case 'unimplemented':
        return 'This cloud does not say.';
      default:
        return this._loading
          ? 'The cloud is slow to answer; trying again.'
          : 'The cloud cannot be reached right now; the machine itself is unaffected.';
    }
  }

  #unknown(fact: Fact<unknown>) {
    if (fact.ok) return nothing;
    const kind = classifyCloudError(fact.error, this.#cloud.value?.secrets() ?? []).kind;
    const who = this.#cloud.value?.credentialKind === 'access-token' ? 'your account' : 'this key';
    return html`<span class="muted" data-unknown=${kind}
      >${kind === 'denied' || kind === 'not-found' ? `not visible to ${who}` : 'unavailable'}</span
    >`;
  }

  #text(fact: Fact<string>) {
    return fact.ok ? fact.value || '—' : this.#unknown(fact);
  }

  #online(online: OnlineView, now: number) {
    const label = onlineLabel(online.state);
    const last = online.lastOnlineMs;
    const when =
      last === undefined
        ? ''
        : online.state === 'online'
          ? ` · seen ${formatAge(now - last) || 'just now'}`
          : ` · last online ${formatAge(now - last) || 'just now'}`;
    return html`<span class=${online.state} title=${last === undefined ? '' : formatAbsolute(last, now)}
      >${label}${when}</span
    >`;
  }

  #history(fact: Fact<readonly HistoryItem[]>, now: number) {
    if (!fact.ok) return this.#unknown(fact);
    const items = fact.value;
    if (items.length === 0) return html`<span class="muted">no changes recorded</span>`;
    const latest = items[0];
    const who = (item: HistoryItem) =>
      item.who
        ? `${item.who}${item.how ? ` (${item.how})` : ''}${item.deactivated ? ', deactivated' : ''}`
        : 'someone';
    return html`<details>
      <summary>
        Changed ${latest?.when === undefined ? '' : formatAge(now - latest.when)} by
        ${latest ? who(latest) : ''}
        <span class="muted">(${items.length} ${items.length === 1 ? 'change' : 'changes'})</span>
      </summary>
      <ol data-cloud-history-list>
        ${items.slice(0, HISTORY_SHOWN).map(
          (item) =>
            html`<li>
              <span title=${item.when === undefined ? '' : formatAbsolute(item.when, now)}
                >${item.when === undefined ? 'unknown time' : formatAbsolute(item.when, now)}</span
              >
              — ${who(item)}
            </li>`,
        )}
      </ol>
    </details>`;
  }
}

customElements.define('cloud-facts', CloudFacts);

declare global {
  interface HTMLElementTagNameMap {
    'cloud-facts': CloudFacts;
  }
}
