/**
 * Sensor readings as the UI shows them: a tree of labelled values with units where the name makes
 * them evident, GeoPoints as coordinates, and the numeric leaves flattened for plotting. Pure.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ValueNode {
  readonly kind: 'value';
  readonly key: string;
  /** Dotted path from the root, e.g. `linear_velocity.x`. */
  readonly path: string;
  readonly text: string;
  readonly unit: string;
  readonly numeric: boolean;
}

export interface GeoNode {
  readonly kind: 'geo';
  readonly key: string;
  readonly path: string;
  readonly lat: number;
  readonly lng: number;
  readonly text: string;
}

export interface GroupNode {
  readonly kind: 'group';
  readonly key: string;
  readonly path: string;
  /** The RDK `_type` tag (vector3, orientation_vector_degrees…), or '' for a plain object/array. */
  readonly type: string;
  readonly children: readonly ReadingNode[];
}

export type ReadingNode = ValueNode | GeoNode | GroupNode;

/** Units RDK's typed readings carry implicitly. */
const TYPE_UNITS: Readonly<Record<string, string>> = {
  vector3: '',
  angular_velocity: '°/s',
  orientation_vector_degrees: '',
};

/** Top-level names whose unit RDK fixes. */
const NAME_UNITS: Readonly<Record<string, string>> = {
  linear_velocity: 'm/s',
  angular_velocity: '°/s',
  linear_acceleration: 'm/s²',
  compass: '°',
  compass_heading: '°',
  heading: '°',
  altitude: 'm',
  altitude_m: 'm',
  voltage: 'V',
  volts: 'V',
  current: 'A',
  amperes: 'A',
  amps: 'A',
  power: 'W',
  watts: 'W',
  theta: '°',
};

/** Name suffixes (after `_`) that say the unit. Longest match first. */
const SUFFIX_UNITS: readonly (readonly [string, string])[] = [
  ['m_per_s', 'm/s'],
  ['mm_per_sec', 'mm/s'],
  ['mm_per_s', 'mm/s'],
  ['deg_per_s', '°/s'],
  ['degs_per_sec', '°/s'],
  ['celsius', '°C'],
  ['fahrenheit', '°F'],
  ['percent', '%'],
  ['pct', '%'],
  ['volts', 'V'],
  ['amps', 'A'],
  ['watts', 'W'],
  ['deg', '°'],
  ['degs', '°'],
  ['degrees', '°'],
  ['rad', 'rad'],
  ['rpm', 'rpm'],
  ['hz', 'Hz'],
  ['khz', 'kHz'],
  ['kpa', 'kPa'],
  ['hpa', 'hPa'],
  ['pa', 'Pa'],
  ['lux', 'lx'],
  ['ppm', 'ppm'],
  ['mm', 'mm'],
  ['cm', 'cm'],
  ['km', 'km'],
  ['ms', 'ms'],
  ['c', '°C'],
  ['f', '°F'],
  ['v', 'V'],
  ['a', 'A'],
  ['w', 'W'],
  ['m', 'm'],
  ['s', 's'],
];

/**
 * A table entry by own key only: reading names come from the machine, and one named `constructor` or
 * `toString` must not find Object.prototype's members.
 */
function lookup(table: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** The unit a reading's name makes evident, or ''. `parentUnit` applies to a vector's components. */
export function unitFor(key: string, parentUnit = ''): string {
  const lower = key.toLowerCase();
  const named = lookup(NAME_UNITS, lower);
  if (named !== undefined) return named;
  for (const [suffix, unit] of SUFFIX_UNITS) {
    if (lower.endsWith(`_${suffix}`)) return unit;
  }
  return parentUnit;
}

/** Compact, stable text for a number: integers whole, others to ~4 significant digits. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '−∞';
  if (Number.isInteger(n)) return String(n);
  const abs = Math.abs(n);
  const decimals = abs >= 1000 ? 1 : abs >= 100 ? 2 : abs >= 1 ? 3 : abs >= 0.001 ? 4 : 6;
  const fixed = n.toFixed(decimals);
  if (/^-?0\.0+$/.test(fixed)) return n.toExponential(2);
  return fixed.replace(/\.?0+$/, '');
}

/** `40.744800° N, 73.986700° W` */
export function formatLatLng(lat: number, lng: number): string {
  const part = (v: number, pos: string, neg: string) =>
    Number.isFinite(v) ? `${Math.abs(v).toFixed(6)}° ${v >= 0 ? pos : neg}` : '?';
  return `${part(lat, 'N', 'S')}, ${part(lng, 'E', 'W')}`;
}

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A GeoPoint in any of the shapes machines send: RDK's `{_type: geopoint, lat, lng}` or `{latitude, longitude}`. */
export function asGeoPoint(v: unknown): { lat: number; lng: number } | undefined {
  if (!isObject(v)) return undefined;
  const lat = v['lat'] ?? v['latitude'];
  const lng = v['lng'] ?? v['longitude'];
  if (typeof lat !== 'number' || typeof lng !== 'number') return undefined;
  const type = v['_type'];
  if (type === 'geopoint' || ('latitude' in v && 'longitude' in v) || ('lat' in v && 'lng' in v)) {
    return { lat, lng };
  }
  return undefined;
}

const MAX_DEPTH = 8;
const MAX_CHILDREN = 200;

function node(key: string, path: string, value: unknown, parentUnit: string, depth: number): ReadingNode {
  const geo = asGeoPoint(value);
  if (geo) return { kind: 'geo', key, path, ...geo, text: formatLatLng(geo.lat, geo.lng) };
  if ((isObject(value) || Array.isArray(value)) && depth < MAX_DEPTH) {
    const type = isObject(value) && typeof value['_type'] === 'string' ? value['_type'] : '';
    const unit = lookup(NAME_UNITS, key.toLowerCase()) ?? lookup(TYPE_UNITS, type) ?? parentUnit;
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value).filter(([k]) => k !== '_type');
    return {
      kind: 'group',
      key,
      path,
      type,
      children: entries
        .slice(0, MAX_CHILDREN)
        .map(([k, v]) => node(k, path === '' ? k : `${path}.${k}`, v, unit, depth + 1)),
    };
  }
  const unit = unitFor(key, parentUnit);
  if (typeof value === 'number')
    return { kind: 'value', key, path, text: formatNumber(value), unit, numeric: true };
  if (typeof value === 'boolean' || value === null)
    return { kind: 'value', key, path, text: String(value), unit: '', numeric: false };
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return {
    kind: 'value',
    key,
    path,
    text: text.length > 500 ? `${text.slice(0, 499)}…` : text,
    unit: '',
    numeric: false,
  };
}

/** The readings as a tree, keys in alphabetical order (machines send maps, whose order means nothing). */
export function readingTree(readings: Readonly<Record<string, unknown>>): ReadingNode[] {
  return Object.keys(readings)
    .sort((a, b) => a.localeCompare(b))
    .slice(0, MAX_CHILDREN)
    .map((k) => node(k, k, readings[k], '', 0));
}

/** Every numeric leaf by dotted path; GeoPoints give `.lat` and `.lng`; booleans are not plotted. */
export function numericLeaves(readings: Readonly<Record<string, unknown>>): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (nodes: readonly ReadingNode[]) => {
    for (const n of nodes) {
      if (n.kind === 'group') walk(n.children);
      else if (n.kind === 'geo') {
        out[`${n.path}.lat`] = n.lat;
        out[`${n.path}.lng`] = n.lng;
      } else if (n.numeric) {
        const v = valueAt(readings, n.path);
        if (typeof v === 'number' && Number.isFinite(v)) out[n.path] = v;
      }
    }
  };
  walk(readingTree(readings));
  return out;
}

function valueAt(root: Readonly<Record<string, unknown>>, path: string): unknown {
  let v: unknown = root;
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

export interface PlotGroup {
  /** Shown above the chart. */
  readonly title: string;
  readonly unit: string;
  /** Series keys (dotted paths) drawn together on one y scale. */
  readonly keys: readonly string[];
}

/**
 * Which series share a chart: the leaves of one top-level reading (a vector's x, y, z) share one,
 * everything else (and each GeoPoint coordinate, whose scales differ) gets its own.
 */
export function plotGroups(
  keys: readonly string[],
  units: Readonly<Record<string, string>> = {},
): PlotGroup[] {
  const groups = new Map<string, { title: string; unit: string; keys: string[] }>();
  for (const key of keys) {
    const geo = key.endsWith('.lat') || key.endsWith('.lng');
    const top = key.split('.')[0] ?? key;
    const id = geo ? key : top;
    let g = groups.get(id);
    if (!g) {
      const unit = lookup(units, key) ?? (geo ? '°' : unitFor(top, unitFor(key.split('.').at(-1) ?? key)));
      g = { title: id, unit, keys: [] };
      groups.set(id, g);
    }
    g.keys.push(key);
  }
  return [...groups.values()];
}
