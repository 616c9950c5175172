/**
 * In-flight long-running calls (GoFor, MoveStraight, MoveToJointPositions, ...), which viam-server
 * reports through GetOperations and lets clients cancel or wait for.
 */
import { randomUUID } from 'node:crypto';
import { Code, ConnectError } from '@connectrpc/connect';
import type { JsonObject } from './config.ts';

export interface Operation {
  id: string;
  method: string;
  arguments: JsonObject;
  started: number;
  sessionId?: string;
  cancel: () => void;
  done: Promise<void>;
}

export class OperationManager {
  private readonly ops = new Map<string, Operation>();

  constructor(private readonly now: () => number) {}

  list(): Operation[] {
    return [...this.ops.values()];
  }

  find(id: string): Operation | undefined {
    return this.ops.get(id);
  }

  /**
   * Run `work` as an operation. Cancelling it (CancelOperation, or the client dropping the call)
   * runs `onCancel` (stopping the resource) and fails the call with Canceled.
   */
  async run<T>(
    info: { method: string; arguments: JsonObject; sessionId?: string | undefined; signal?: AbortSignal },
    work: Promise<T>,
    onCancel: () => void,
  ): Promise<T> {
    let cancelled = false;
    let rejectCancel: (e: ConnectError) => void = () => undefined;
    const cancelPromise = new Promise<never>((_, reject) => {
      rejectCancel = reject;
    });
    const cancel = (): void => {
      if (cancelled) return;
      cancelled = true;
      // Reject first: stopping also releases `work`, and the race must see the cancellation.
      rejectCancel(new ConnectError('context canceled', Code.Canceled));
      onCancel();
    };
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const op: Operation = {
      id: randomUUID(),
      method: info.method,
      arguments: info.arguments,
      started: this.now(),
      cancel,
      done,
    };
    if (info.sessionId !== undefined) op.sessionId = info.sessionId;
    this.ops.set(op.id, op);
    const onAbort = (): void => cancel();
    info.signal?.addEventListener('abort', onAbort);
    try {
      return await Promise.race([work, cancelPromise]);
    } finally {
      info.signal?.removeEventListener('abort', onAbort);
      this.ops.delete(op.id);
      finish();
    }
  }
}
