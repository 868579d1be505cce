// Turns a record value into JSON, or says precisely why it cannot be one. Runs in the poll loop, so
// every check is linear in the value's size and cheap.
// Reasons describe the problem (its kind, position, field path, codes) and never quote the value: it
// may be personal data, reasons reach logs and the audit table, and a quoted 0x00 byte once made
// PostgreSQL refuse the audit row, stalling the partition.
import type { z } from 'zod';

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
    return { ok: false, reasonCode: 'NOT_JSON', reason: `the value is not JSON: ${describeJsonError((err as Error).message)}` };
  }
}

/** V8's JSON.parse messages, by kind; the messages themselves quote the input, so only the kind is kept. */
const JSON_ERROR_KINDS: [RegExp, string][] = [
  [/^Unexpected end of JSON input/, 'it ends before the JSON does'],
  [/^Bad control character in string literal/, 'a raw control character inside a string'],
  [/^Bad (escaped character|Unicode escape)/, 'a bad escape sequence inside a string'],
  [/^Unterminated string/, 'a string that is never closed'],
  [/^Unexpected non-whitespace character after JSON/, 'more text after the JSON value'],
  [/^Expected (double-quoted )?property name/, 'an object key that is not a double-quoted string'],
  [/^Expected ',' or/, 'a missing comma or closing bracket'],
  [/^(Exponent part is missing|No number after minus sign|Unterminated fractional number)/, 'a malformed number'],
  [/^Unexpected token/, 'an unexpected character'],
];

export function describeJsonError(message: string): string {
  const kind = JSON_ERROR_KINDS.find(([pattern]) => pattern.test(message))?.[1] ?? 'a syntax error';
  const position = /at position (\d+)/.exec(message)?.[1];
  // For an unexpected token V8 gives no position but the character: name it by code point, not raw.
  const token = /^Unexpected token '([\s\S]+?)', /.exec(message)?.[1];
  const codePoint = token ? ` U+${token.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : '';
  return `${kind}${codePoint}${position !== undefined ? ` at character ${position}` : ''}`;
}

/** A path segment as it can be printed: schema field names and indexes; any other key is not echoed. */
const pathSegment = (s: PropertyKey): string => (typeof s === 'number' ? `[${s}]` : typeof s === 'string' && /^[A-Za-z_$][\w$-]{0,63}$/.test(s) ? s : '[key]');

/** Zod's issues as `field: problem`; issue kinds whose message quotes input keys are named by code. */
export function describeSchemaIssues(error: z.ZodError, max = 5): string {
  const listed = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.length ? issue.path.map(pathSegment).join('.').replace(/\.\[/g, '[') : '(the value)';
    const problem = issue.code === 'unrecognized_keys' ? `${issue.keys.length} unrecognized key(s)` : issue.code === 'invalid_key' ? 'an invalid key' : issue.message;
    return `${path}: ${problem}`;
  });
  const more = error.issues.length > max ? `; and ${error.issues.length - max} more` : '';
  return `${listed.join('; ')}${more}`;
}
