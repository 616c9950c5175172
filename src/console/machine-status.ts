import { LitElement, css, html, nothing } from 'lit';
import { groupStatuses, type MachineStatusView } from '../lib/resources.ts';
import { formatAge } from '../lib/time.ts';
import { base, panel } from '../styles/tokens.ts';

export interface VersionInfo {
  readonly platform: string;
  readonly version: string;
  readonly apiVersion: string;
}

/**
 * The machine at a glance: state, platform and version, config revision and when it changed, and every
 * resource with its health, grouped by part and API, filterable by name.
 */
export class MachineStatus extends LitElement {
  static override properties = {
    status: { attribute: false },
    version: { attribute: false },
    updatedAt: { attribute: false },
    stale: { type: Boolean },
    reportsStatus: { type: Boolean },
    error: { attribute: false },
    _filter: { state: true },
  };

  declare status: MachineStatusView | undefined;
  /** null: the machine does not implement GetVersion. */
  declare version: VersionInfo | null | undefined;
  /** Epoch ms when `status` arrived. */
  declare updatedAt: number | undefined;
  declare stale: boolean;
  /**
   * False for a viam-server without GetMachineStatus: `status` then holds names from ResourceNames
   * only, with no state, revision or health to show.
   */
  declare reportsStatus: boolean;
  /** The last poll's error, shown inline. */
  declare error: string | undefined;
  declare _filter: string;

  constructor() {
    super();
    this.stale = false;
    this.reportsStatus = true;
    this._filter = '';
  }

  static override styles = [
    base,
    panel,
    css`
      h2 {
        font-size: 1rem;
        margin: 0 0 var(--mc-space-2);
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: var(--mc-space-1) var(--mc-space-3);
        margin: 0 0 var(--mc-space-3);
        font-size: 0.9rem;
      }
      dt {
        color: var(--mc-text-muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .stale {
        color: var(--mc-warning);
      }
      input[type='search'] {
        box-sizing: border-box;
        width: 100%;
        font: inherit;
        padding: var(--mc-space-2);
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        background: var(--mc-bg);
        color: var(--mc-text);
      }
      h3 {
        font-size: 0.8rem;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--mc-text-muted);
        margin: var(--mc-space-3) 0 var(--mc-space-1);
      }
      h4 {
        font-size: 0.85rem;
        margin: var(--mc-space-2) 0 var(--mc-space-1);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0 var(--mc-space-2);
        padding: 2px 0;
        font-size: 0.9rem;
        min-width: 0;
      }
      .name {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .state.ready {
        color: var(--mc-ok);
      }
      .state.unhealthy {
        color: var(--mc-danger);
      }
      .state.configuring,
      .state.removing {
        color: var(--mc-warning);
      }
      .resource-error {
        grid-column: 1 / -1;
        color: var(--mc-danger);
        font-size: 0.8rem;
        overflow-wrap: anywhere;
        max-height: 6rem;
        overflow: auto;
      }
      .error {
        color: var(--mc-danger);
        font-size: 0.85rem;
      }
      .note {
        color: var(--mc-text-muted);
        font-size: 0.85rem;
        margin: 0 0 var(--mc-space-3);
      }
    `,
  ];

  override render() {
    const s = this.status;
    const age = this.updatedAt === undefined ? undefined : Date.now() - this.updatedAt;
    const groups = s ? groupStatuses(s.resources.values(), this._filter) : [];
    const parts = [...new Set(groups.map((g) => g.part))];
    const reports = this.reportsStatus;
    return html`
      <h2 id="status-title">Machine status</h2>
      <dl aria-labelledby="status-title">
        <dt>State</dt>
        <dd data-machine-state=${reports ? (s?.state ?? 'unknown') : 'not-reported'}>
          ${reports ? (s?.state ?? '…') : 'not reported'}
        </dd>
        <dt>Version</dt>
        <dd data-version>
          ${this.version === null ? 'not reported' : this.version ? `${this.version.platform} ${this.version.version}` : '…'}
        </dd>
        <dt>Config</dt>
        <dd data-config-revision=${s?.configRevision ?? ''}>
          ${!reports ? 'not reported' : s ? html`rev ${s.configRevision.slice(0, 12) || '—'}${s.configUpdatedMs ? html`, changed ${formatAge(Date.now() - s.configUpdatedMs)}` : nothing}` : '…'}
        </dd>
        <dt>Updated</dt>
        <dd class=${this.stale ? 'stale' : ''} data-stale=${this.stale ? 'true' : 'false'}>
          ${age === undefined ? '…' : formatAge(age)}${this.stale ? ' (stale)' : ''}
        </dd>
      </dl>
      ${
        reports
          ? nothing
          : html`<p class="note" role="status" data-status-unsupported>
              This viam-server does not report status: resources are listed from ResourceNames, refreshed
              every 10 s, without health.
            </p>`
      }
      ${this.error && reports ? html`<p class="error" role="status" data-status-error>Status unavailable: ${this.error}</p>` : nothing}
      <label>
        <span class="visually-hidden" hidden>Filter resources</span>
        <input
          type="search"
          placeholder="Filter resources by name"
          aria-label="Filter resources by name"
          .value=${this._filter}
          @input=${(e: InputEvent) => (this._filter = (e.target as HTMLInputElement).value)}
        />
      </label>
      ${parts.map(
        (part) => html`
          <section aria-label=${part === '' ? 'This machine' : `Remote part ${part}`} data-part=${part}>
            ${parts.length > 1 || part !== '' ? html`<h3>${part === '' ? 'This machine' : `Part ${part}`}</h3>` : nothing}
            ${groups
              .filter((g) => g.part === part)
              .map(
                (g) => html`
                  <h4>${g.label}</h4>
                  <ul>
                    ${g.items.map(
                      (item) => html`
                        <li data-status-resource=${item.resource.name} data-state=${item.state}>
                          <span class="name" title=${item.resource.name}>${item.resource.shortName}</span>
                          ${reports ? html`<span class="state ${item.state}">${item.state}</span>` : html`<span class="state">—</span>`}
                          ${
                            item.state === 'unhealthy' && item.error
                              ? html`<span class="resource-error">${item.error}</span>`
                              : nothing
                          }
                        </li>
                      `,
                    )}
                  </ul>
                `,
              )}
          </section>
        `,
      )}
      ${s && groups.length === 0 ? html`<p>No resources match.</p>` : nothing}
    `;
  }
}

customElements.define('machine-status', MachineStatus);

declare global {
  interface HTMLElementTagNameMap {
    'machine-status': MachineStatus;
  }
}
