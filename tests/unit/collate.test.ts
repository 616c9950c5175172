/**
 * src/lib/collate.ts against ICU: for every language it trusts with the root order, comparing two
 * printable-ASCII names here gives the sign Intl.Collator gives, numbers, case, marks and the
 * letters other languages contract ("ch", "aa", "ll", "dz", "ij") included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareIds, compareRootAscii, nameComparison, ROOT_ORDER_LANGUAGES } from '../../src/lib/collate.ts';

const OPTIONS = { numeric: true, sensitivity: 'base' } as const;

/** Printable ASCII, weighted to what names hold and to what tailorings touch. */
const asciiName = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...'achdlnsyzgijtrwvoxAaCHDLNSYZ'.split('')) },
      { weight: 3, arbitrary: fc.constantFrom(...'0123456789'.split('')) },
      { weight: 2, arbitrary: fc.constantFrom(...' _-.·'.replace('·', '/').split('')) },
      { weight: 1, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
    ),
    { maxLength: 12 },
  )
  .map((chars) => chars.join(''));

describe('compareRootAscii', () => {
  it('orders names as people expect: case-blind, numbers by value, marks before digits before letters', () => {
    const names = [
      'rover-10',
      'Rover-2',
      'rover-1',
      'arm',
      'ARM cell',
      'pod 007',
      'pod 7',
      'pod 8',
      ' x',
      '_a',
    ];
    expect([...names].sort(compareRootAscii)).toEqual([
      ' x',
      '_a',
      'arm',
      'ARM cell',
      'pod 007',
      'pod 7',
      'pod 8',
      'rover-1',
      'Rover-2',
      'rover-10',
    ]);
    expect(compareRootAscii('pod 007', 'pod 7')).toBe(0);
    expect(compareRootAscii('A', 'a')).toBe(0);
    expect(compareRootAscii('', 'a')).toBe(-1);
  });

  it('gives the sign ICU’s root collation gives, for 20,000 pairs of ASCII names', () => {
    const icu = new Intl.Collator('en', OPTIONS);
    fc.assert(
      fc.property(asciiName, asciiName, (a, b) => {
        expect(Math.sign(compareRootAscii(a, b))).toBe(Math.sign(icu.compare(a, b)));
      }),
      { numRuns: 20_000, seed: 3 },
    );
  });
});

describe('nameComparison', () => {
  it('agrees with ICU in every language it trusts with the root order (3,000 pairs each)', () => {
    for (const language of ROOT_ORDER_LANGUAGES) {
      const ours = nameComparison(language);
      const icu = new Intl.Collator(language, OPTIONS);
      fc.assert(
        fc.property(asciiName, asciiName, (a, b) => {
          expect([language, Math.sign(ours(a, b))]).toEqual([language, Math.sign(icu.compare(a, b))]);
        }),
        { numRuns: 3000, seed: 5 },
      );
    }
  });

  it('leaves to ICU what it does not know: other names, other languages, no language', () => {
    const words = ['Été', 'ete', 'Ärger', 'zebra', 'aa', 'ch', 'h', 'i', 'z', 'ab', 'rover-2', 'rover-10'];
    for (const language of ['en-US', 'da', 'cs', 'et', 'tr', 'lt', undefined, 'not a tag!']) {
      const ours = nameComparison(language);
      const icu = (() => {
        try {
          return new Intl.Collator(language, OPTIONS);
        } catch {
          return new Intl.Collator(undefined, OPTIONS);
        }
      })();
      for (const a of words)
        for (const b of words) expect(Math.sign(ours(a, b))).toBe(Math.sign(icu.compare(a, b)));
    }
    // Danish sorts "aa" after "z", Czech "ch" after "h": the root order would not.
    expect(nameComparison('da')('aa', 'z')).toBeGreaterThan(0);
    expect(nameComparison('cs')('ch', 'h')).toBeGreaterThan(0);
  });
});

describe('compareIds', () => {
  it('is a total order on code units', () => {
    expect(['b', 'a', 'B', 'a-1', 'a'].sort(compareIds)).toEqual(['B', 'a', 'a', 'a-1', 'b']);
    expect(compareIds('x', 'x')).toBe(0);
  });
});
