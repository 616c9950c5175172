import { ContextProvider } from '@lit/context';
import { createRobotClient, type DialConf, type RobotClient } from '@viamrobotics/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { connectionContext, robotClientContext } from '../contexts.ts';
import { classifyConnectionError, type ConnectionSnapshot } from '../lib/connection-state.ts';
import type { MachineCredentials } from '../lib/credentials.ts';

export type Dialer = (conf: DialConf) => Promise<RobotClient>;

export interface ConnectionOptions {
  readonly credentials: MachineCredentials;
  /** From build config only (see src/config.ts); never from the URL. */
  readonly signalingAddress: string;
  /** Replaceable in unit tests; createRobotClient everywhere else. */
  readonly dial?: Dialer;
}

/** SDK connection events this controller follows (MachineConnectionEvent values). */
const EVENTS = ['connected', 'disconnected'] as const;

/**
 * Owns the one SDK client of the page: dials it, follows its connection events, provides it and the
 * connection state through @lit/context, and disposes of it when the host leaves the page or the page
 * is hidden for good (`pagehide`). A client never outlives this controller.
 */
export class ConnectionController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: ConnectionOptions;
  readonly #clientProvider: ContextProvider<typeof robotClientContext>;
  readonly #stateProvider: ContextProvider<typeof connectionContext>;
  #client: RobotClient | undefined;
  /** Bumped on every dial and dispose, so a late dial result is discarded, not adopted. */
  #generation = 0;
  #detachClient: (() => void) | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, options: ConnectionOptions) {
    this.#host = host;
    this.#options = options;
    this.#clientProvider = new ContextProvider(host, {
      context: robotClientContext,
      initialValue: undefined,
    });
    this.#stateProvider = new ContextProvider(host, {
      context: connectionContext,
      initialValue: { phase: 'connecting', hostname: options.credentials.hostname },
    });
    host.addController(this);
  }

  get state(): ConnectionSnapshot {
    return this.#stateProvider.value;
  }

  get client(): RobotClient | undefined {
    return this.#client;
  }

  hostConnected(): void {
    window.addEventListener('pagehide', this.#onPageHide);
    void this.connect();
  }

  hostDisconnected(): void {
    window.removeEventListener('pagehide', this.#onPageHide);
    this.#dispose('closed');
  }

  /** Dials (again), dropping any client this controller had. Safe to call at any time. */
  async connect(): Promise<void> {
    this.#dispose('connecting');
    const generation = this.#generation;
    const { credentials, signalingAddress } = this.#options;
    const dial = this.#options.dial ?? createRobotClient;
    try {
      const client = await dial({
        host: credentials.hostname,
        credentials: { type: 'api-key', authEntity: credentials.apiKeyId, payload: credentials.apiKey },
        signalingAddress,
        // A few quick attempts, then an explanation with a retry button beats minutes of silent backoff.
        reconnectMaxAttempts: 3,
        reconnectMaxWait: 2_000,
      });
      if (generation !== this.#generation) {
        // Superseded (retry, pagehide or teardown while dialing): this client must not live on.
        void client.disconnect().catch(() => undefined);
        return;
      }
      this.#adopt(client);
    } catch (error: unknown) {
      if (generation !== this.#generation) return;
      this.#setState({
        phase: 'failed',
        hostname: credentials.hostname,
        problem: classifyConnectionError(error, [credentials.apiKey]),
      });
    }
  }

  #adopt(client: RobotClient): void {
    this.#client = client;
    const onEvent = (event: (typeof EVENTS)[number]) => () => {
      if (this.#client !== client) return;
      this.#setState({
        phase: event === 'connected' ? 'connected' : 'reconnecting',
        hostname: this.#options.credentials.hostname,
      });
    };
    const listeners = EVENTS.map((event) => [event, onEvent(event)] as const);
    for (const [event, listener] of listeners) client.on(event, listener);
    this.#detachClient = () => {
      for (const [event, listener] of listeners) client.off(event, listener);
    };
    this.#clientProvider.setValue(client);
    this.#setState({ phase: 'connected', hostname: this.#options.credentials.hostname });
  }

  #dispose(next: 'connecting' | 'closed'): void {
    this.#generation += 1;
    const client = this.#client;
    this.#client = undefined;
    this.#detachClient?.();
    this.#detachClient = undefined;
    this.#clientProvider.setValue(undefined);
    this.#setState({ phase: next, hostname: this.#options.credentials.hostname });
    if (client) void client.disconnect().catch(() => undefined);
  }

  #setState(state: ConnectionSnapshot): void {
    this.#stateProvider.setValue(state);
    this.#host.requestUpdate();
  }

  readonly #onPageHide = (event: PageTransitionEvent): void => {
    // Leaving (or entering the back/forward cache): drop the connection; pageshow reconnects.
    this.#dispose('closed');
    if (event.persisted) window.addEventListener('pageshow', this.#onPageShow, { once: true });
  };

  readonly #onPageShow = (): void => {
    void this.connect();
  };
}
