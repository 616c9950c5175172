/** Short, safe, one-line text for any value: for logs, never for parsing. */
export function summarize(value: unknown, max = 160): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (stringify(value) ?? String(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  text = text.replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Longest error text shown anywhere: a machine may send 10 KB, which no card has room for. */
export const MAX_ERROR_CHARS = 500;

/**
 * The message of anything thrown, without a stack, at most MAX_ERROR_CHARS long. connect-es' "[unknown]"
 * prefix is dropped: every call over WebRTC carries it (the SDK loses the code), so it tells nothing.
 * An error the machine sent without words says so.
 */
export function errorMessage(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = error.message || error.name;
  else if (
    typeof error === 'object' &&
    error !== null &&
    'message' in error &&
    typeof error.message === 'string'
  )
    text = error.message;
  else text = summarize(error, 200);
  text = text.replace(/^\[unknown\]\s*/, '');
  if (/^\[[a-z_]+\]$/.test(text)) text = `${text} the machine gave no reason`;
  else if (text === '') text = 'the machine gave no reason';
  return text.length > MAX_ERROR_CHARS
    ? `${text.slice(0, MAX_ERROR_CHARS - 1)}… (${text.length - MAX_ERROR_CHARS + 1} more characters)`
    : text;
}

function jsonSafe(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  return v;
}

/** JSON.stringify returns undefined for undefined, functions and symbols, whatever its type says. */
function stringify(value: unknown): string | undefined {
  return JSON.stringify(value, jsonSafe);
}
