import { css, html, nothing } from 'lit';
import type { PollController } from '../controllers/poll-controller.ts';
import { rpcErrorLabel } from '../lib/rpc-error-label.ts';
import { formatAge } from '../lib/time.ts';

/**
 * The line every polled card shows under its values: how old they are, whether they are stale, and
 * the last error inline (never a toast). Cards add `pollStatusStyles` to their styles.
 */
export function renderPollStatus(poll: PollController<unknown>) {
  const age = poll.ageMs;
  const stale = poll.stale;
  const unsupported = poll.unsupported;
  const label = poll.errorKind === undefined ? '' : rpcErrorLabel(poll.errorKind);
  return html`<p
    class="poll-status ${stale ? 'stale' : ''}"
    data-stale=${stale ? 'true' : 'false'}
    data-paused=${poll.pausedReason ?? ''}
    data-pending=${poll.pending ? 'true' : 'false'}
    aria-live="off"
  >
    ${
      unsupported !== undefined
        ? html`<span data-unsupported="poll" title=${unsupported}
            >Live values not supported by this model</span
          >`
        : age === undefined
          ? poll.pending
            ? 'Loading…'
            : 'No data yet'
          : `Updated ${formatAge(age)}`
    }${stale ? ' · stale' : nothing}${poll.pausedReason === 'disconnected' ? ' · disconnected' : nothing}
    ${
      poll.error
        ? html`<span
            class="poll-error"
            role="status"
            data-poll-error
            data-error-kind=${poll.errorKind ?? 'unknown'}
            >${label ? `${label}: ` : ''}${poll.error}</span
          >`
        : nothing
    }
  </p>`;
}

/** The calm note a card shows where a control or value its model lacks would be. */
export function renderUnsupported(method: string, what = 'Not supported by this model') {
  return html`<span class="muted" data-unsupported=${method}>${what}</span>`;
}

export const pollStatusStyles = css`
  .poll-status {
    margin: var(--mc-space-2) 0 0;
    font-size: 0.78rem;
    color: var(--mc-text-muted);
    overflow-wrap: anywhere;
  }
  .poll-status.stale {
    color: var(--mc-warning);
  }
  .poll-error {
    display: block;
    color: var(--mc-danger);
  }
`;

/** Styles shared by card bodies: value grids, rows of controls, numeric inputs. */
export const cardStyles = css`
  :host {
    display: block;
  }
  .values {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 2px var(--mc-space-3);
    margin: 0;
    font-size: 0.9rem;
  }
  .values dt {
    color: var(--mc-text-muted);
  }
  .values dd {
    margin: 0;
    font-variant-numeric: tabular-nums;
    overflow-wrap: anywhere;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--mc-space-2);
    align-items: center;
    margin-top: var(--mc-space-2);
  }
  input[type='number'],
  input[type='text'],
  select {
    font: inherit;
    padding: 4px 6px;
    border: 1px solid var(--mc-border);
    border-radius: var(--mc-radius);
    background: var(--mc-bg);
    color: var(--mc-text);
    min-width: 0;
  }
  input[type='number'] {
    width: 6rem;
  }
  label {
    font-size: 0.85rem;
    display: inline-flex;
    gap: var(--mc-space-1);
    align-items: center;
  }
  .result {
    font-size: 0.8rem;
    color: var(--mc-text-muted);
    overflow-wrap: anywhere;
  }
  .result.error {
    color: var(--mc-danger);
  }
  .top {
    display: flex;
    flex-wrap: wrap;
    gap: var(--mc-space-2);
    align-items: center;
    justify-content: space-between;
    margin-bottom: var(--mc-space-2);
  }
  .muted {
    color: var(--mc-text-muted);
    font-size: 0.8rem;
  }
  button.stop {
    color: var(--mc-danger);
    border-color: var(--mc-danger);
    font-weight: 700;
  }
  details.do-command {
    margin-top: var(--mc-space-3);
    border-top: 1px solid var(--mc-border);
    padding-top: var(--mc-space-2);
  }
  details.do-command summary {
    cursor: pointer;
    font-size: 0.85rem;
  }
  table {
    border-collapse: collapse;
    font-size: 0.9rem;
    font-variant-numeric: tabular-nums;
  }
  td,
  th {
    padding: 2px 6px;
    text-align: right;
  }
  th {
    color: var(--mc-text-muted);
    font-weight: normal;
  }
`;
