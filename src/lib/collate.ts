/**
 * Names compared as people expect: blind to case and accents, numbers by their value ("rover-2"
 * before "rover-10"). That is `Intl.Collator(language, { numeric: true, sensitivity: 'base' })`,
 * but making one costs 8-15 ms on a fresh page (ICU loads its collation data), which the fleet page
 * paid at start-up, before its list request could leave.
 *
 * Where the page's language orders printable ASCII as Unicode's root collation does (the languages
 * in ROOT_ORDER_LANGUAGES: tests/unit/collate.test.ts holds each to ICU, contractions included), two
 * ASCII names are compared here, by that order; the collator is made only for a name that is not
 * ASCII, or for a language not in the list. Pure.
 */

/** Printable ASCII by primary weight in the root collation, case folded; digits are numbers. */
const ROOT_ORDER = ` _-,;:!?.'"()[]{}@*/\\&#%\`^+<=>|~$`;
/** Above every mark above, below every letter (numbers sort between them). */
const NUMBER_RANK = ROOT_ORDER.length;

/** Rank by char code for printable ASCII (0x20-0x7e); -1 elsewhere. */
const RANK: Int16Array = (() => {
  const rank = new Int16Array(128).fill(-1);
  for (let i = 0; i < ROOT_ORDER.length; i++) rank[ROOT_ORDER.charCodeAt(i)] = i;
  for (let d = 0x30; d <= 0x39; d++) rank[d] = NUMBER_RANK;
  for (let l = 0; l < 26; l++) {
    rank[0x41 + l] = NUMBER_RANK + 1 + l;
    rank[0x61 + l] = NUMBER_RANK + 1 + l;
  }
  return rank;
})();

/**
 * Languages (primary subtags) whose collation orders printable ASCII as the root does: no
 * tailoring of these letters, no contraction of them (Czech "ch", Danish "aa", Lithuanian "y", …).
 */
export const ROOT_ORDER_LANGUAGES: ReadonlySet<string> = new Set([
  'ar',
  'ca',
  'de',
  'el',
  'en',
  'es',
  'fr',
  'gl',
  'he',
  'hi',
  'id',
  'it',
  'ja',
  'ko',
  'nl',
  'pl',
  'pt',
  'ro',
  'ru',
  'uk',
  'zh',
]);

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Every character is printable ASCII. */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Where the run of digits starting at `from` ends. */
function digitsEnd(s: string, from: number): number {
  let i = from;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/** Where the leading zeros of a run of digits end (at most at the run's end). */
function zerosEnd(s: string, from: number, end: number): number {
  let i = from;
  while (i < end && s.charCodeAt(i) === 0x30) i++;
  return i;
}

/**
 * Two printable-ASCII strings by the root collation at base strength with numeric ordering: case
 * ignored, a run of digits one number (leading zeros ignored), compared by value.
 */
export function compareRootAscii(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      const endA = digitsEnd(a, i);
      const endB = digitsEnd(b, j);
      const startA = zerosEnd(a, i, endA);
      const startB = zerosEnd(b, j, endB);
      // More significant digits: a larger number.
      if (endA - startA !== endB - startB) return endA - startA < endB - startB ? -1 : 1;
      for (let k = 0; k < endA - startA; k++) {
        const da = a.charCodeAt(startA + k);
        const db = b.charCodeAt(startB + k);
        if (da !== db) return da < db ? -1 : 1;
      }
      i = endA;
      j = endB;
      continue;
    }
    const ra = RANK[ca] ?? -1;
    const rb = RANK[cb] ?? -1;
    if (ra !== rb) return ra < rb ? -1 : 1;
    i += 1;
    j += 1;
  }
  const restA = i < a.length;
  const restB = j < b.length;
  return restA === restB ? 0 : restA ? 1 : -1;
}

function makeCollator(language: string | undefined): Intl.Collator {
  const options = { numeric: true, sensitivity: 'base' } as const;
  try {
    return new Intl.Collator(language, options);
  } catch {
    // Not a language tag the runtime knows: its default.
    return new Intl.Collator(undefined, options);
  }
}

/** A name comparison for a page in `language` (a BCP 47 tag; undefined: the runtime's default). */
export function nameComparison(language: string | undefined): (a: string, b: string) => number {
  const primary = language?.split('-')[0]?.toLowerCase();
  const rootOrder = primary !== undefined && ROOT_ORDER_LANGUAGES.has(primary);
  let collator: Intl.Collator | undefined;
  return (a, b) => {
    if (rootOrder && isPlainAscii(a) && isPlainAscii(b)) return compareRootAscii(a, b);
    collator ??= makeCollator(language);
    return collator.compare(a, b);
  };
}

/** Opaque ids (organizations, locations, machines): any fixed order will do; this one needs no ICU. */
export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
