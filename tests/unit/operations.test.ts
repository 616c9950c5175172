import { describe, expect, it } from 'vitest';
import { elapsedText, shortMethod, timestampMs, toOperationViews } from '../../src/lib/operations.ts';
import { sessionList } from '../../src/lib/other-clients.ts';

describe('operations', () => {
  it('shortens gRPC paths and bounds hostile ones', () => {
    expect(shortMethod('/viam.component.base.v1.BaseService/MoveStraight')).toBe('BaseService/MoveStraight');
    expect(shortMethod('Spin')).toBe('Spin');
    expect(shortMethod('')).toBe('unknown');
    expect(shortMethod(`/a.B/${'x'.repeat(500)}`).length).toBe(120);
  });

  it('lists longest-running first, marks this page, another client or nobody; drops id-less ones', () => {
    const views = toOperationViews(
      [
        { id: 'b', method: '/p.S/Late', sessionId: 'me', startedMs: 2000 },
        { id: 'a', method: '/p.S/Early', sessionId: 'other', startedMs: 1000 },
        { id: 'c', method: '/p.S/Script', startedMs: Number.NaN },
        { id: '', method: '/p.S/Nothing' },
      ],
      'me',
    );
    expect(views.map((v) => [v.id, v.own, v.others])).toEqual([
      ['a', false, true],
      ['b', true, false],
      ['c', false, false],
    ]);
    expect(views[2]?.startedMs).toBeUndefined();
    // Without a session of our own, nothing is ours.
    expect(toOperationViews([{ id: 'x', method: 'm', sessionId: '' }], '')[0]?.own).toBe(false);
  });

  it('handles 500 operations', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ id: `op${i}`, method: '/p.S/M', startedMs: i }));
    expect(toOperationViews(many, 'me')).toHaveLength(500);
  });

  it('says how long, calmly when clocks disagree', () => {
    expect(elapsedText(undefined, 0)).toBe('—');
    expect(elapsedText(5000, 1000)).toBe('just now');
    expect(elapsedText(0, 12_500)).toBe('12 s');
    expect(elapsedText(0, 125_000)).toBe('2 min 5 s');
    expect(elapsedText(0, 3_720_000)).toBe('1 h 2 min');
  });

  it('reads proto timestamps', () => {
    expect(timestampMs({ seconds: 12n, nanos: 345_000_000 })).toBe(12_345);
    expect(timestampMs(undefined)).toBeUndefined();
  });
});

describe('sessionList', () => {
  it('is unique, this page first and marked', () => {
    expect(sessionList([{ id: 'z' }, { id: 'me' }, { id: 'z' }, { id: '' }], 'me')).toEqual([
      { id: 'me', own: true },
      { id: 'z', own: false },
    ]);
    expect(sessionList([{ id: 'a' }], '')).toEqual([{ id: 'a', own: false }]);
  });
});
