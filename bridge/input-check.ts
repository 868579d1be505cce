// Turns a record value into JSON, or says precisely why it cannot be one. Runs in the poll loop, so
// every check is linear in the value's size and cheap.
export type InputCheck =
  | { ok: true; json: unknown }
  | { ok: false; reasonCode: 'EMPTY' | 'BINARY' | 'NOT_JSON' | 'HOSTILE'; reason: string };

/** Deeper nesting than any real event has; a parser bomb otherwise. */
export const MAX_JSON_DEPTH = 64;
const FORBIDDEN_KEYS = /"(__proto__|constructor|prototype)"\s*:/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

export function checkJsonValue(value: Buffer | null): InputCheck {
  if (value === null || value.length === 0) return { ok: false, reasonCode: 'EMPTY', reason: 'the record has no value (empty or tombstone)' };
  let text: string;
  try {
    text = utf8.decode(value);
  } catch {
    return { ok: false, reasonCode: 'BINARY', reason: `the value is not UTF-8 text (${value.length} bytes of binary)` };
  }
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) return { ok: false, reasonCode: 'HOSTILE', reason: `the value nests ${depth} levels deep (limit ${MAX_JSON_DEPTH})` };
  if (FORBIDDEN_KEYS.test(text)) return { ok: false, reasonCode: 'HOSTILE', reason: 'the value carries a prototype-polluting key (__proto__, constructor or prototype)' };
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (err) {
    return { ok: false, reasonCode: 'NOT_JSON', reason: `the value is not JSON (${(err as Error).message})` };
  }
}
