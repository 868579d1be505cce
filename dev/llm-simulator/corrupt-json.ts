// The `malformed-json` fault: turns a JSON text into something JSON.parse refuses, in the ways
// models actually break it: cut off mid-way (the token limit hit), wrapped in a Markdown fence,
// introduced by a chatty sentence, or written with single quotes.
import type { Rng } from './prng';

const PROSE_PREFIX = 'Sure! Here is the JSON you asked for:\n';

const VARIANTS: ReadonlyArray<(text: string, rng: Rng) => { text: string; detail: string }> = [
  (text, rng) => {
    // Somewhere in the second half, where a token limit usually bites.
    const cut = text.length <= 1 ? 0 : rng.int(Math.ceil(text.length / 2), text.length - 1);
    return { text: text.slice(0, cut), detail: `truncated at ${cut} of ${text.length} characters` };
  },
  (text) => ({ text: `\`\`\`json\n${text}\n\`\`\``, detail: 'wrapped in a Markdown code fence' }),
  (text) => ({ text: `${PROSE_PREFIX}${text}`, detail: 'preceded by a sentence of prose' }),
  (text) => ({ text: text.replaceAll('"', "'"), detail: 'written with single quotes' }),
];

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `json` made unparseable, and a few words saying how. */
export function corruptJson(json: string, rng: Rng): { text: string; detail: string } {
  const variant = rng.pick(VARIANTS)(json, rng);
  // A short number survives truncation and a string without quotes survives quote swapping;
  // a sentence in front never parses.
  return parses(variant.text) ? { text: `${PROSE_PREFIX}${json}`, detail: 'preceded by a sentence of prose' } : variant;
}
