import type { Resource } from '../lib/resources.ts';

/**
 * What every card element accepts: the resource it shows and how to reach its API. Its own module so
 * the cards and the registry that loads them never import each other for a type.
 */
export interface CardElement extends HTMLElement {
  resource: Resource | undefined;
  /** The gRPC service serving the resource's API (for DoCommand on any API). */
  protoService: string;
}

/**
 * A card threw while rendering. Bubbles out of the card so its frame replaces it with a message: one
 * broken card (a model answering something unexpected) never takes the rest of the page with it.
 */
export class CardFailedEvent extends Event {
  static readonly type = 'card-failed';
  constructor(readonly message: string) {
    super(CardFailedEvent.type, { bubbles: true, composed: true });
  }
}

/** Runs a card's update, turning a throw into a CardFailedEvent from the card (once). */
export function containUpdate(card: HTMLElement, update: () => void): void {
  try {
    update();
  } catch (error: unknown) {
    if (card.hasAttribute('data-failed')) return;
    card.toggleAttribute('data-failed', true);
    const message = error instanceof Error ? error.message : String(error);
    console.error(`card ${card.localName} failed to render`, error);
    card.dispatchEvent(new CardFailedEvent(message));
  }
}

declare global {
  interface HTMLElementEventMap {
    'card-failed': CardFailedEvent;
  }
}
