import type { Resource } from '../lib/resources.ts';
import type { CardElement } from './card-element.ts';

export type { CardElement } from './card-element.ts';

interface CardEntry {
  readonly tag: string;
  /** Imports the card's module, which defines `tag`. */
  readonly load: () => Promise<unknown>;
}

/**
 * Resource API -> card. Each card is its own lazily imported chunk, so a machine loads only the cards
 * it has. APIs not listed (module models, services this app does not know) get the generic card.
 */
const CARDS: Readonly<Record<string, CardEntry>> = {
  'rdk:component:base': { tag: 'base-card', load: () => import('./base-card.ts') },
  'rdk:component:motor': { tag: 'motor-card', load: () => import('./motor-card.ts') },
  'rdk:component:servo': { tag: 'servo-card', load: () => import('./servo-card.ts') },
  'rdk:component:gripper': { tag: 'gripper-card', load: () => import('./gripper-card.ts') },
  'rdk:component:arm': { tag: 'arm-card', load: () => import('./arm-card.ts') },
  'rdk:component:gantry': { tag: 'gantry-card', load: () => import('./gantry-card.ts') },
  'rdk:component:switch': { tag: 'switch-card', load: () => import('./switch-card.ts') },
  'rdk:component:button': { tag: 'button-card', load: () => import('./button-card.ts') },
  'rdk:component:sensor': { tag: 'sensor-card', load: () => import('./sensor-card.ts') },
  'rdk:component:movement_sensor': {
    tag: 'movement-sensor-card',
    load: () => import('./movement-sensor-card.ts'),
  },
  'rdk:component:power_sensor': { tag: 'power-sensor-card', load: () => import('./power-sensor-card.ts') },
  'rdk:component:encoder': { tag: 'encoder-card', load: () => import('./encoder-card.ts') },
  'rdk:component:board': { tag: 'board-card', load: () => import('./board-card.ts') },
  'rdk:component:input_controller': {
    tag: 'input-controller-card',
    load: () => import('./input-controller-card.ts'),
  },
  'rdk:component:camera': { tag: 'camera-card', load: () => import('./camera-card.ts') },
  'rdk:service:vision': { tag: 'vision-card', load: () => import('./vision-card.ts') },
};

const GENERIC: CardEntry = { tag: 'generic-card', load: () => import('./generic-card.ts') };

export function cardFor(resource: Pick<Resource, 'api'>): CardEntry {
  return CARDS[resource.api] ?? GENERIC;
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
