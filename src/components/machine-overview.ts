import { ContextConsumer } from '@lit/context';
import { Task } from '@lit/task';
import type { RobotClient } from '@viamrobotics/sdk';
import { LitElement, css, html } from 'lit';
import { connectionContext, robotClientContext } from '../contexts.ts';
import { base } from '../styles/tokens.ts';

interface NamedResource {
  readonly name: string;
  readonly api: string;
}

/**
 * The connected machine: its hostname and every resource it reports. The full status view replaces
 * this list in a later step; the data path (client from context) stays the same.
 */
export class MachineOverview extends LitElement {
  readonly #client = new ContextConsumer(this, { context: robotClientContext, subscribe: true });
  readonly #connection = new ContextConsumer(this, { context: connectionContext, subscribe: true });

  readonly #resources = new Task(this, {
    task: async ([client]: readonly [RobotClient | undefined]) => {
      if (!client) return [];
      const names = await client.resourceNames();
      return names
        .map((n): NamedResource => ({ name: n.name, api: `${n.namespace}:${n.type}:${n.subtype}` }))
        .sort((a, b) => a.api.localeCompare(b.api) || a.name.localeCompare(b.name));
    },
    args: () => [this.#client.value] as const,
  });

  static override styles = [
    base,
    css`
      :host {
        display: block;
        padding: var(--mc-space-6);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: var(--mc-space-3);
      }
      h1 {
        font-size: 1.25rem;
        margin: 0;
        overflow-wrap: anywhere;
      }
      .phase {
        color: var(--mc-text-muted);
      }
      ul {
        list-style: none;
        padding: 0;
        display: grid;
        gap: var(--mc-space-2);
        grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr));
      }
      li {
        background: var(--mc-surface);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        padding: var(--mc-space-3);
        overflow-wrap: anywhere;
      }
      .api {
        display: block;
        color: var(--mc-text-muted);
        font-size: 0.85rem;
      }
      .error {
        color: var(--mc-danger);
      }
    `,
  ];

  override render() {
    const connection = this.#connection.value;
    return html`
      <header>
        <h1 data-hostname>${connection?.hostname ?? ''}</h1>
        <span class="phase" data-phase=${connection?.phase ?? 'connecting'} role="status"
          >${connection?.phase ?? ''}</span
        >
      </header>
      ${this.#resources.render({
        pending: () => html`<p role="status">Loading resources…</p>`,
        complete: (resources) => html`
          <h2>Resources (${resources.length})</h2>
          <ul data-resources aria-label="Resources">
            ${resources.map(
              (r) =>
                html`<li data-resource=${r.name}>
                  <strong>${r.name}</strong><span class="api">${r.api}</span>
                </li>`,
            )}
          </ul>
        `,
        error: () =>
          html`<p class="error" role="alert">
            The machine’s resources could not be listed.
            <button @click=${() => void this.#resources.run()}>Try again</button>
          </p>`,
      })}
    `;
  }
}

customElements.define('machine-overview', MachineOverview);

declare global {
  interface HTMLElementTagNameMap {
    'machine-overview': MachineOverview;
  }
}
