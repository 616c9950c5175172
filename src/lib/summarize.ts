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

/** The message of anything thrown, without a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const m = error.message;
    if (typeof m === 'string') return m;
  }
  return summarize(error, 200);
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
