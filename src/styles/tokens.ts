import { css } from 'lit';

/**
 * Design tokens: the one place colours, spacing, radii and type are defined. Components read the
 * custom properties (with these as their only source), so a theme is a change here.
 */
export const tokens = css`
  :host {
    --mc-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --mc-font-mono: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
    --mc-space-1: 4px;
    --mc-space-2: 8px;
    --mc-space-3: 12px;
    --mc-space-4: 16px;
    --mc-space-6: 24px;
    --mc-space-8: 32px;
    --mc-radius: 8px;
    --mc-bg: #f6f7f9;
    --mc-surface: #ffffff;
    --mc-text: #1a2230;
    --mc-text-muted: #4b5566;
    --mc-border: #d5dae2;
    --mc-accent: #0f766e;
    --mc-accent-text: #ffffff;
    --mc-danger: #b42318;
    --mc-danger-text: #ffffff;
    --mc-warning: #b54708;
    --mc-ok: #067647;
    --mc-focus: #2563eb;
    color-scheme: light dark;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --mc-bg: #10141b;
      --mc-surface: #1a212c;
      --mc-text: #e7ebf1;
      --mc-text-muted: #a6b0bf;
      --mc-border: #333d4d;
      --mc-accent: #2dd4bf;
      --mc-accent-text: #0b1118;
      --mc-danger: #f97066;
      --mc-danger-text: #0b1118;
      --mc-warning: #fdb022;
      --mc-ok: #47cd89;
      --mc-focus: #60a5fa;
    }
  }
`;

/** Shared base for every element: type, focus ring, buttons. */
export const base = css`
  :host {
    font-family: var(--mc-font);
    color: var(--mc-text);
  }
  :focus-visible {
    outline: 3px solid var(--mc-focus);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    border-radius: var(--mc-radius);
    border: 1px solid var(--mc-border);
    background: var(--mc-surface);
    color: var(--mc-text);
    padding: var(--mc-space-2) var(--mc-space-4);
    cursor: pointer;
  }
  button.primary {
    background: var(--mc-accent);
    border-color: var(--mc-accent);
    color: var(--mc-accent-text);
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  code {
    font-family: var(--mc-font-mono);
    font-size: 0.92em;
  }
`;

/** A bordered surface: the status panel, the command log. */
export const panel = css`
  :host {
    display: block;
    background: var(--mc-surface);
    border: 1px solid var(--mc-border);
    border-radius: var(--mc-radius);
    padding: var(--mc-space-3);
    min-width: 0;
  }
`;
