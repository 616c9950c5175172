import { LitElement, css, html, type TemplateResult } from 'lit';
import type { Explanation } from '../lib/explanations.ts';
import { base, tokens } from '../styles/tokens.ts';

/**
 * A calm, full-page explanation of why the app cannot show what was asked for, and what to do.
 *
 * @slot - actions (e.g. a retry button)
 */
export class ProblemScreen extends LitElement {
  static override properties = {
    explanation: { attribute: false },
    detail: { type: String },
  };

  /** What happened and what to do. */
  declare explanation: Explanation | undefined;
  /** Optional technical detail, already free of secrets, shown folded. */
  declare detail: string | undefined;

  static override styles = [
    // Its own tokens too: an app may show it before (or instead of) any other element.
    tokens,
    base,
    css`
      :host {
        display: grid;
        place-items: center;
        min-height: 100vh;
        padding: var(--mc-space-6);
        box-sizing: border-box;
      }
      section {
        max-width: 36rem;
        background: var(--mc-surface);
        border: 1px solid var(--mc-border);
        border-radius: calc(var(--mc-radius) * 1.5);
        padding: var(--mc-space-8);
      }
      h1 {
        font-size: 1.35rem;
        margin: 0 0 var(--mc-space-3);
      }
      p,
      li {
        line-height: 1.5;
        color: var(--mc-text-muted);
        overflow-wrap: anywhere;
      }
      ol {
        padding-left: 1.25rem;
      }
      details {
        margin-top: var(--mc-space-4);
        color: var(--mc-text-muted);
        font-size: 0.9rem;
        overflow-wrap: anywhere;
      }
    `,
  ];

  override render() {
    const e = this.explanation;
    if (!e) return html``;
    return html`
      <section role="alert" aria-labelledby="title" data-problem=${e.id}>
        <h1 id="title">${e.title}</h1>
        <p>${withCode(e.what)}</p>
        <h2 class="visually-hidden" hidden>What to do</h2>
        <ol>
          ${e.steps.map((step) => html`<li>${withCode(step)}</li>`)}
        </ol>
        <slot></slot>
        ${
          this.detail
            ? html`<details>
                <summary>Details</summary>
                <code>${this.detail}</code>
              </details>`
            : ''
        }
      </section>
    `;
  }
}

/** Renders `backticked` parts as code. Text stays text: nothing here is parsed as HTML. */
function withCode(text: string): (string | TemplateResult)[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part));
}

customElements.define('problem-screen', ProblemScreen);

declare global {
  interface HTMLElementTagNameMap {
    'problem-screen': ProblemScreen;
  }
}
