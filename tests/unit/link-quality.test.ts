import { describe, expect, it } from 'vitest';
import { describeLinkQuality, linkQuality } from '../../src/lib/link-quality.ts';

describe('link quality', () => {
  it('judges the median of the last five round trips', () => {
    expect(linkQuality([])).toBeUndefined();
    expect(linkQuality([3, 4, 2])).toBe('good');
    // One slow check does not flag the link; mostly slow does.
    expect(linkQuality([3, 4, 900, 2, 5])).toBe('good');
    expect(linkQuality([310, 280, 20, 420, 300])).toBe('degraded');
    expect(linkQuality([1200, 1500, 900, 1100, 2000])).toBe('poor');
    // Only the last five count: the link recovered.
    expect(linkQuality([1200, 1500, 1300, 1100, 2000, 4, 3, 5, 2, 6])).toBe('good');
    expect(linkQuality([Number.NaN, -1, 400])).toBe('degraded');
  });

  it('says nothing about a good link', () => {
    expect(describeLinkQuality('good')).toBeUndefined();
    expect(describeLinkQuality(undefined)).toBeUndefined();
    expect(describeLinkQuality('degraded')).toBe('slow link');
    expect(describeLinkQuality('poor')).toBe('very slow link');
  });
});
