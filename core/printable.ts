// Values from records are printed into messages, summaries and dead-letter reasons, which end up in
// logs, Temporal and PostgreSQL text columns. A NUL or another control character there can break the
// store that receives the message (PostgreSQL text refuses NUL), so they are printed escaped.
// Pure: workflows use it too.

/** `text` with control characters escaped as `\uXXXX` (tab and newline kept), cut to `maxChars`. */
export function printable(text: string, maxChars = 120): string {
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  return cut.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
