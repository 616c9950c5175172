import { ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { MethodSupport, UNSUPPORTED } from '../../src/lib/method-support.ts';

/** What a data-channel answer from a module's stub looks like to the app (code lost). */
const unimplemented = () => ConnectError.from('method GoTo not implemented');

describe('MethodSupport', () => {
  it('asks an unimplemented method once per connection, then answers for it', async () => {
    const support = new MethodSupport();
    const connection = {};
    let calls = 0;
    const run = () => {
      calls += 1;
      return Promise.reject(unimplemented());
    };
    expect(await support.call(connection, 'motor/m', 'GoTo', run)).toBe(UNSUPPORTED);
    expect(await support.call(connection, 'motor/m', 'GoTo', run)).toBe(UNSUPPORTED);
    expect(calls).toBe(1);
    expect(support.unsupported(connection, 'motor/m', 'GoTo')).toBe(true);
    // Another resource, another method, another connection: each asked on its own.
    expect(support.unsupported(connection, 'motor/other', 'GoTo')).toBe(false);
    expect(support.unsupported(connection, 'motor/m', 'GoFor')).toBe(false);
    expect(support.unsupported({}, 'motor/m', 'GoTo')).toBe(false);
    expect(support.unsupported(undefined, 'motor/m', 'GoTo')).toBe(false);
    expect(await support.call({}, 'motor/m', 'GoTo', run)).toBe(UNSUPPORTED);
    expect(calls).toBe(2);
  });

  it('callers that arrive while the first call is out wait for its answer instead of asking', async () => {
    const support = new MethodSupport();
    const connection = {};
    let calls = 0;
    let fail: (e: unknown) => void = () => undefined;
    const run = () => {
      calls += 1;
      return new Promise<number>((_, reject) => (fail = reject));
    };
    const first = support.call(connection, 'board/b', 'ReadAnalogReader', run);
    const second = support.call(connection, 'board/b', 'ReadAnalogReader', run);
    fail(unimplemented());
    expect(await Promise.all([first, second])).toEqual([UNSUPPORTED, UNSUPPORTED]);
    expect(calls).toBe(1);
  });

  it('a method that answers is called every time; other errors are the caller’s and not remembered', async () => {
    const support = new MethodSupport();
    const connection = {};
    let n = 0;
    expect(await support.call(connection, 'r', 'GetPosition', () => Promise.resolve(++n))).toBe(1);
    expect(await support.call(connection, 'r', 'GetPosition', () => Promise.resolve(++n))).toBe(2);
    const broken = new Error('encoder is not defined');
    await expect(support.call(connection, 'r', 'IsMoving', () => Promise.reject(broken))).rejects.toBe(
      broken,
    );
    expect(support.unsupported(connection, 'r', 'IsMoving')).toBe(false);
    expect(await support.call(connection, 'r', 'IsMoving', () => Promise.resolve(true))).toBe(true);
  });

  it('learn() marks from a command’s error, only when it says unimplemented', () => {
    const support = new MethodSupport();
    const connection = {};
    expect(support.learn(connection, 'r', 'GoTo', new Error('motor stalled'))).toBe(false);
    expect(support.unsupported(connection, 'r', 'GoTo')).toBe(false);
    expect(support.learn(connection, 'r', 'GoTo', ConnectError.from('Unimplemented'))).toBe(true);
    expect(support.unsupported(connection, 'r', 'GoTo')).toBe(true);
  });

  it('once() shares one answer per connection, failure included', async () => {
    const support = new MethodSupport();
    const connection = {};
    let calls = 0;
    const props = () => {
      calls += 1;
      return Promise.reject(new Error('no wheels configured'));
    };
    expect(await support.once(connection, 'base/b', 'GetProperties', props)).toBeUndefined();
    expect(await support.once(connection, 'base/b', 'GetProperties', props)).toBeUndefined();
    expect(calls).toBe(1);
    const ok = await support.once({}, 'base/b', 'GetProperties', () => Promise.resolve({ widthMeters: 0.4 }));
    expect(ok).toEqual({ widthMeters: 0.4 });
    expect(await support.once({}, 'base/c', 'GetProperties', () => Promise.reject(unimplemented()))).toBe(
      UNSUPPORTED,
    );
  });

  it('read() never fails its poll', async () => {
    const support = new MethodSupport();
    const connection = {};
    expect(
      await support.read(connection, 'a', 'GetEndPosition', () => Promise.reject(unimplemented())),
    ).toBeUndefined();
    expect(await support.read(connection, 'a', 'GetEndPosition', () => Promise.resolve(1))).toBeUndefined();
    expect(
      await support.read(connection, 'a', 'GetAccuracy', () => Promise.reject(new Error('x'))),
    ).toBeUndefined();
    expect(await support.read(connection, 'a', 'GetAccuracy', () => Promise.resolve(2))).toBe(2);
  });
});
