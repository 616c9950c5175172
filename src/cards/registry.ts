import type { Resource } from '../lib/resources.ts';
import type { CardElement } from './card-element.ts';

export type { CardElement } from './card-element.ts';

/** How tall a card of this kind roughly is before it exists: its placeholder's size, so the page does not jump. */
export type CardSize = 's' | 'm' | 'l';

interface CardEntry {
  readonly tag: string;
  readonly size?: CardSize;
  /** Imports the card's module, which defines `tag`. */
  readonly load: () => Promise<unknown>;
}

/**
 * Resource API -> card. Each card is its own lazily imported chunk, so a machine loads only the cards
 * it has. APIs not listed (module models, services this app does not know) get the generic card.
 */
const CARDS: Readonly<Record<string, CardEntry>> = {
  'rdk:component:base': { tag: 'base-card', size: 'l', load: () => import('./base-card.ts') },
  'rdk:component:motor': { tag: 'motor-card', size: 'm', load: () => import('./motor-card.ts') },
  'rdk:component:servo': { tag: 'servo-card', size: 'm', load: () => import('./servo-card.ts') },
  'rdk:component:gripper': { tag: 'gripper-card', size: 's', load: () => import('./gripper-card.ts') },
  'rdk:component:arm': { tag: 'arm-card', size: 'l', load: () => import('./arm-card.ts') },
  'rdk:component:gantry': { tag: 'gantry-card', size: 'l', load: () => import('./gantry-card.ts') },
  'rdk:component:switch': { tag: 'switch-card', size: 's', load: () => import('./switch-card.ts') },
  'rdk:component:button': { tag: 'button-card', size: 's', load: () => import('./button-card.ts') },
  'rdk:component:sensor': { tag: 'sensor-card', size: 'l', load: () => import('./sensor-card.ts') },
  'rdk:component:movement_sensor': {
    tag: 'movement-sensor-card',
    size: 'l',
    load: () => import('./movement-sensor-card.ts'),
  },
  'rdk:component:power_sensor': {
    tag: 'power-sensor-card',
    size: 'l',
    load: () => import('./power-sensor-card.ts'),
  },
  'rdk:component:encoder': { tag: 'encoder-card', size: 'l', load: () => import('./encoder-card.ts') },
  'rdk:component:board': { tag: 'board-card', size: 'm', load: () => import('./board-card.ts') },
  'rdk:component:input_controller': {
    tag: 'input-controller-card',
    size: 'm',
    load: () => import('./input-controller-card.ts'),
  },
  'rdk:component:camera': { tag: 'camera-card', size: 'l', load: () => import('./camera-card.ts') },
  'rdk:service:vision': { tag: 'vision-card', size: 'l', load: () => import('./vision-card.ts') },
};

const GENERIC: CardEntry = { tag: 'generic-card', load: () => import('./generic-card.ts') };

export function cardFor(resource: Pick<Resource, 'api'>): CardEntry {
  return CARDS[resource.api] ?? GENERIC;
}

/** The placeholder size of a resource's card (see CardSize). */
export function cardSize(resource: Pick<Resource, 'api'>): CardSize {
  return cardFor(resource).size ?? 's';
}

/** Loads the card for `resource` and returns its element, ready for the resource to be set. */
export async function createCard(resource: Resource, protoService: string): Promise<CardElement> {
  const entry = cardFor(resource);
  await entry.load();
  const element = document.createElement(entry.tag) as CardElement;
  element.resource = resource;
  element.protoService = protoService;
  return element;
}
