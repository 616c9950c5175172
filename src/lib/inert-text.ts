/**
 * Untrusted text made to display as what it is. Pure. Text rendered by Lit is never markup, but it
 * can still mislead: terminal escape sequences, control characters, bidirectional overrides that
 * reorder what a line appears to say, and unpaired surrogates.
 */

/* eslint-disable no-control-regex -- matching control characters is this code's purpose */
/** ANSI/VT escape sequences: CSI (7- and 8-bit), OSC, DCS/SOS/PM/APC strings, and 2-char escapes. */
const ANSI =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]?/g;
/** Anything that needs the slow path: controls, C1, bidi overrides, surrogates (maybe unpaired). */
const SUSPECT = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;
const C1 = /[\x80-\x9f]/g;
/* eslint-enable no-control-regex */
/** Bidirectional controls can make a line read differently from what it says ("Trojan source"). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text that displays as what it is: escape sequences removed, other control characters shown as
 * their visible pictures (␀, ␛…), bidi controls shown by code point, unpaired surrogates replaced.
 * Newlines and tabs stay; a lone carriage return (which overwrites a terminal line) becomes ␍.
 */
export function inertText(text: string): string {
  if (!SUSPECT.test(text)) return text;
  return text
    .replace(ANSI, '')
    .replace(/\r\n/g, '\n')
    .replace(CONTROL, (c) => String.fromCharCode(c === '\x7f' ? 0x2421 : 0x2400 + c.charCodeAt(0)))
    .replace(C1, '\ufffd')
    .replace(BIDI, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`)
    .replace(LONE_SURROGATE, '\ufffd');
}

/** At most `max` UTF-16 units, never splitting a surrogate pair. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}
