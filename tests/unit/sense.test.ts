import { describe, expect, it } from 'vitest';
import { isStreamOf, pickImage, pixelAt, snapshotFileName, sourceNames } from '../../src/lib/camera.ts';
import {
  intervalFor,
  loadRefreshMode,
  prefKey,
  readPref,
  rememberString,
  stringList,
  writePref,
} from '../../src/lib/card-prefs.ts';
import {
  canonical,
  parseCommandList,
  pushHistory,
  toggleFavourite,
  HISTORY_LIMIT,
} from '../../src/lib/do-command-history.ts';
import { FrameMeter } from '../../src/lib/frame-meter.ts';
import {
  formatLatLng,
  formatNumber,
  numericLeaves,
  plotGroups,
  readingTree,
  unitFor,
} from '../../src/lib/readings.ts';
import { RingBuffer, SampleHistory } from '../../src/lib/ring-buffer.ts';

class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.map.set(k, v);
  }
}

describe('RingBuffer', () => {
  it('keeps the newest items, oldest first', () => {
    const b = new RingBuffer<number>(3);
    for (const n of [1, 2, 3, 4, 5]) b.push(n);
    expect(b.toArray()).toEqual([3, 4, 5]);
    expect(b.length).toBe(3);
    expect(b.last()).toBe(5);
  });

  it('drops from the front while a predicate holds', () => {
    const b = new RingBuffer<number>(5);
    for (const n of [1, 2, 3, 4]) b.push(n);
    b.dropWhile((n) => n < 3);
    expect(b.toArray()).toEqual([3, 4]);
    b.push(5);
    b.push(6);
    b.push(7);
    b.push(8);
    expect(b.toArray()).toEqual([4, 5, 6, 7, 8]);
  });

  it('rejects a useless capacity', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});

describe('SampleHistory', () => {
  it('aligns series that appear late with nulls, bounded by count and age', () => {
    const h = new SampleHistory({ capacity: 4, windowMs: 10_000 });
    h.add(1000, { a: 1 });
    h.add(2000, { a: 2, b: 20 });
    expect(h.keys).toEqual(['a', 'b']);
    expect(h.aligned()).toEqual([
      [1, 2],
      [1, 2],
      [null, 20],
    ]);
    h.add(20_000, { a: 3 });
    expect(h.length).toBe(1); // the older samples fell out of the window
    for (let t = 21_000; t < 30_000; t += 1000) h.add(t, { a: t });
    expect(h.length).toBe(4);
  });

  it('ignores non-finite values and caps the number of series', () => {
    const h = new SampleHistory({ maxSeries: 2 });
    h.add(1, { a: Number.NaN, b: 1, c: 2, d: 3 });
    expect(h.keys).toEqual(['b', 'c']);
    const v = h.version;
    h.clear();
    expect(h.length).toBe(0);
    expect(h.version).toBeGreaterThan(v);
  });
});

describe('readings', () => {
  it('formats numbers compactly', () => {
    expect(formatNumber(3)).toBe('3');
    expect(formatNumber(21.456789)).toBe('21.457');
    expect(formatNumber(0.000123456)).toBe('0.000123');
    expect(formatNumber(1234.56)).toBe('1234.6');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });

  it('says units where names make them evident', () => {
    expect(unitFor('temperature_c')).toBe('°C');
    expect(unitFor('humidity_pct')).toBe('%');
    expect(unitFor('voltage')).toBe('V');
    expect(unitFor('speed_m_per_s')).toBe('m/s');
    expect(unitFor('temperature')).toBe('');
    expect(unitFor('x', 'm/s')).toBe('m/s');
  });

  it('formats GeoPoints as coordinates', () => {
    expect(formatLatLng(40.7448, -73.9867)).toBe('40.744800° N, 73.986700° W');
    expect(formatLatLng(-33.5, 151.25)).toBe('33.500000° S, 151.250000° E');
  });

  it('builds a tree: geo points, typed vectors, nested maps, lists, sorted keys', () => {
    const tree = readingTree({
      position: { _type: 'geopoint', lat: 1, lng: 2 },
      linear_velocity: { _type: 'vector3', x: 0, y: 0.5, z: 0 },
      nested: { a: { b: 'deep' }, list: [1, true] },
      label: '<b>not html</b>',
    });
    expect(tree.map((n) => n.key)).toEqual(['label', 'linear_velocity', 'nested', 'position']);
    const [label, velocity, nested, position] = tree;
    expect(label).toMatchObject({ kind: 'value', text: '<b>not html</b>', numeric: false });
    expect(position).toMatchObject({ kind: 'geo', lat: 1, lng: 2 });
    expect(velocity).toMatchObject({ kind: 'group', type: 'vector3' });
    if (velocity?.kind !== 'group') throw new Error('group expected');
    expect(velocity.children.map((c) => c.key)).toEqual(['x', 'y', 'z']);
    expect(velocity.children[1]).toMatchObject({ text: '0.5', unit: 'm/s', path: 'linear_velocity.y' });
    if (nested?.kind !== 'group') throw new Error('group expected');
    expect(nested.children[1]).toMatchObject({ kind: 'group', key: 'list' });
  });

  it('flattens numeric leaves for plotting, GeoPoints into lat and lng', () => {
    expect(
      numericLeaves({
        temperature_c: 21.5,
        ok: true,
        name: 'x',
        position: { _type: 'geopoint', lat: 1, lng: 2 },
        v: { x: 1, y: 2 },
      }),
    ).toEqual({ temperature_c: 21.5, 'position.lat': 1, 'position.lng': 2, 'v.x': 1, 'v.y': 2 });
  });

  it('groups plot series: vectors share a chart, coordinates do not', () => {
    const groups = plotGroups([
      'temperature_c',
      'position.lat',
      'position.lng',
      'linear_velocity.x',
      'linear_velocity.y',
    ]);
    expect(groups.map((g) => [g.title, g.unit, g.keys.length])).toEqual([
      ['temperature_c', '°C', 1],
      ['position.lat', '°', 1],
      ['position.lng', '°', 1],
      ['linear_velocity', 'm/s', 2],
    ]);
  });
});

describe('card preferences', () => {
  it('maps refresh modes to intervals', () => {
    expect(intervalFor('off')).toBeNull();
    expect(intervalFor('manual')).toBeNull();
    expect(intervalFor('500')).toBe(500);
    expect(intervalFor('5000')).toBe(5000);
  });

  it('remembers a refresh mode per machine and resource, ignoring junk', () => {
    const s = new MemoryStorage();
    const key = prefKey('m1', 'rdk:component:sensor/env', 'refresh');
    expect(loadRefreshMode(s, key, '1000')).toBe('1000');
    writePref(s, key, 'off');
    expect(loadRefreshMode(s, key, '1000')).toBe('off');
    expect(loadRefreshMode(s, prefKey('m2', 'rdk:component:sensor/env', 'refresh'), '1000')).toBe('1000');
    s.setItem(key, '"fast"');
    expect(loadRefreshMode(s, key, '1000')).toBe('1000');
    s.setItem(key, '{not json');
    expect(readPref(s, key)).toBeUndefined();
  });

  it('keeps a bounded most-recent-first list of names', () => {
    let list: string[] = [];
    for (const n of ['7', '8', '7', ' 9 ', '']) list = rememberString(list, n, 3);
    expect(list).toEqual(['9', '7', '8']);
    expect(stringList(['a', 3, '', 'b'])).toEqual(['a', 'b']);
    expect(stringList('nope')).toEqual([]);
  });

  it('survives a storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(() => writePref(broken, 'k', 1)).not.toThrow();
    expect(readPref(broken, 'k')).toBeUndefined();
  });
});

describe('DoCommand history and favourites', () => {
  it('puts the newest first without repeats, bounded', () => {
    let h: string[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) h = pushHistory(h, canonical({ n: i }));
    h = pushHistory(h, canonical({ n: 10 }));
    expect(h).toHaveLength(HISTORY_LIMIT);
    expect(h[0]).toBe('{"n":10}');
    expect(h.filter((c) => c === '{"n":10}')).toHaveLength(1);
  });

  it('toggles favourites', () => {
    const f = toggleFavourite([], '{"a":1}');
    expect(f).toEqual(['{"a":1}']);
    expect(toggleFavourite(f, '{"a":1}')).toEqual([]);
  });

  it('keeps only JSON objects from storage', () => {
    expect(parseCommandList(['{"a":1}', '[1]', 'nope', 5, '{"a":1}', '{"b":2}'], 10)).toEqual([
      '{"a":1}',
      '{"b":2}',
    ]);
    expect(parseCommandList('x', 10)).toEqual([]);
  });
});

describe('FrameMeter', () => {
  it('measures frames per second over a sliding window', () => {
    const m = new FrameMeter(1000);
    for (let t = 0; t <= 1000; t += 100) m.frame(t);
    expect(m.fps(1000)).toBeCloseTo(10);
    expect(m.count).toBe(11);
    expect(m.fps(5000)).toBe(0); // frames stopped: no rate
  });
});

describe('camera helpers', () => {
  const img = (sourceName: string) => ({ sourceName, mimeType: 'image/png', image: new Uint8Array(1) });

  it('picks the chosen source, else the first', () => {
    const images = [img('color'), img('depth')];
    expect(pickImage(images, 'depth')?.sourceName).toBe('depth');
    expect(pickImage(images, 'gone')?.sourceName).toBe('color');
    expect(pickImage([], '')).toBeUndefined();
    expect(sourceNames([...images, img('color')])).toEqual(['color', 'depth']);
  });

  it('names snapshots safely', () => {
    expect(snapshotFileName('remote:cam 1', new Date('2026-01-31T12:00:05.123Z'), 'image/jpeg')).toBe(
      'remote_cam_1-2026-01-31T12-00-05.jpg',
    );
  });

  it('matches streams by id, remote names included', () => {
    expect(isStreamOf('cam', 'cam')).toBe(true);
    expect(isStreamOf('part+cam', 'part:cam')).toBe(true);
    expect(isStreamOf('other', 'cam')).toBe(false);
  });
});

describe('pixelAt', () => {
  const box = { left: 100, top: 50, width: 400, height: 400 };
  it('maps a point on a letterboxed picture to its pixel, and nothing on the bars', () => {
    // 320x240 in a 400x400 box: scale 1.25, shown 400x300, bars of 50 above and below.
    expect(pixelAt(100, 100, box, 320, 240)).toEqual({ x: 0, y: 0 });
    expect(pixelAt(499.9, 399.9, box, 320, 240)).toEqual({ x: 319, y: 239 });
    expect(pixelAt(300, 250, box, 320, 240)).toEqual({ x: 160, y: 120 });
    expect(pixelAt(300, 60, box, 320, 240)).toBeUndefined();
    expect(pixelAt(300, 250, box, 0, 240)).toBeUndefined();
    expect(pixelAt(Number.NaN, 250, box, 320, 240)).toBeUndefined();
  });
});
