/**
 * Which methods a resource's model lacks, learnt from the machine's answers, per connection. A
 * module may implement only part of its API (grpc-go answers the rest Unimplemented): a card asks an
 * optional method once per connection and, once told "unimplemented", never asks again on that
 * connection. A new connection (a reconnect, maybe to an updated machine) starts afresh. Pure: the
 * connection is any object (the SDK client), no SDK import, no DOM.
 */
import { isUnimplemented } from './rpc-error.ts';

/** What an optional call gives instead of its value when the model does not implement it. */
export const UNSUPPORTED: unique symbol = Symbol('unsupported');
export type Optional<T> = T | typeof UNSUPPORTED;

type State =
  | { readonly phase: 'probing'; readonly done: Promise<void> }
  | { readonly phase: 'supported' | 'unsupported' };

export class MethodSupport {
  readonly #byConnection = new WeakMap<object, Map<string, State>>();
  readonly #once = new WeakMap<object, Map<string, Promise<unknown>>>();

  #states(connection: object): Map<string, State> {
    let states = this.#byConnection.get(connection);
    if (!states) {
      states = new Map();
      this.#byConnection.set(connection, states);
    }
    return states;
  }

  /** True once the machine said, on this connection, that this resource's model lacks `method`. */
  unsupported(connection: object | undefined, resource: string, method: string): boolean {
    if (connection === undefined) return false;
    return this.#byConnection.get(connection)?.get(`${resource}\u0000${method}`)?.phase === 'unsupported';
  }

  /** Records what an answer said (a command the operator sent, say): Unimplemented marks the method. */
  learn(connection: object, resource: string, method: string, error: unknown): boolean {
    if (!isUnimplemented(error)) return false;
    this.#states(connection).set(`${resource}\u0000${method}`, { phase: 'unsupported' });
    return true;
  }

  /**
   * Calls `run` unless the method is known unsupported on this connection. While the first call of a
   * method is in flight, other callers wait for its answer rather than ask too, so an unimplemented
   * method is asked exactly once. Other errors are the caller's (rethrown).
   */
  async call<T>(
    connection: object,
    resource: string,
    method: string,
    run: () => Promise<T>,
  ): Promise<Optional<T>> {
    const states = this.#states(connection);
    const key = `${resource}\u0000${method}`;
    let state = states.get(key);
    while (state?.phase === 'probing') {
      await state.done;
      state = states.get(key);
    }
    if (state?.phase === 'unsupported') return UNSUPPORTED;
    if (state?.phase === 'supported') return run();
    let settle = (): void => undefined;
    states.set(key, { phase: 'probing', done: new Promise<void>((resolve) => (settle = resolve)) });
    try {
      const value = await run();
      states.set(key, { phase: 'supported' });
      return value;
    } catch (error: unknown) {
      if (isUnimplemented(error)) {
        states.set(key, { phase: 'unsupported' });
        return UNSUPPORTED;
      }
      states.delete(key);
      throw error;
    } finally {
      settle();
    }
  }

  /**
   * An optional read that never fails its poll: undefined when the model lacks it (asked once) or
   * when this one call failed (asked again next time, as any poll is).
   */
  read<T>(
    connection: object,
    resource: string,
    method: string,
    run: () => Promise<T>,
  ): Promise<T | undefined> {
    return this.call(connection, resource, method, run).then(
      (value) => (value === UNSUPPORTED ? undefined : value),
      () => undefined,
    );
  }

  /**
   * Asks once per connection, whatever the answer (properties, kinematics): every caller on that
   * connection shares the first answer, and a failure is `undefined` rather than a retry per poll.
   */
  once<T>(
    connection: object,
    resource: string,
    method: string,
    run: () => Promise<T>,
  ): Promise<Optional<T> | undefined> {
    let answers = this.#once.get(connection);
    if (!answers) {
      answers = new Map();
      this.#once.set(connection, answers);
    }
    const key = `${resource}\u0000${method}`;
    let answer = answers.get(key) as Promise<Optional<T> | undefined> | undefined;
    if (!answer) {
      answer = this.call(connection, resource, method, run).catch(() => undefined);
      answers.set(key, answer);
    }
    return answer;
  }
}

/** The page's one record (cards come and go; what a model lacks stays known for the connection). */
export const methodSupport = new MethodSupport();
