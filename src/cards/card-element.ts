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
