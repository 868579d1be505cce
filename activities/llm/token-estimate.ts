// Prompt size in tokens for the limiter's reservation, with a real BPE tokenizer (o200k_base, shipped
// inside js-tiktoken), so the limiter reserves about what a call will cost rather than characters / 4.
//
// Why not encode the whole prompt at once: js-tiktoken merges each piece of its pre-split (a run of
// letters, of punctuation, of spaces) in time quadratic in the piece's length, and hostile text is
// one long piece: 20,000 `[` took 14 s on the worker's event loop, past callModel's heartbeat
// timeout, so other calls in flight on that worker timed out and were asked again. So:
// - runs of one character class are cut every RUN_BYTES bytes, which bounds every piece and
//   makes the work linear; natural text has no such runs and is counted as before;
// - the text is encoded CHUNK_CHARS at a time (cut before whitespace where it can be), and the
//   estimate yields to the event loop every YIELD_EVERY_MS, so heartbeats and other calls go on;
// - past MAX_ENCODED_CHARS per prompt the rest counts as its UTF-8 bytes, which bounds the work.
// The estimate stays an upper-ish bound, as a reservation should be: a cut run loses only the merges
// across the cut (a few more tokens), and no token is shorter than one byte.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { getEncoding, type Tiktoken } from 'js-tiktoken';
import type { ChatMessage } from './provider';

/** Chat formats add a few tokens of framing per message. */
const TOKENS_PER_MESSAGE = 4;
/** The longest run of one character class encoded as one piece, in UTF-8 bytes: BPE's cost grows with its square. */
export const RUN_BYTES = 16;
const CHUNK_CHARS = 1_024;
/** Text past this many characters per prompt counts as its UTF-8 bytes, not tokenized. */
export const MAX_ENCODED_CHARS = 64_000;
const YIELD_EVERY_MS = 10;

// Maximal runs of one class: letters with their marks, digits, whitespace, anything else (the classes
// o200k's pre-split keeps together). The classes are disjoint, so matching is linear.
const RUNS = /[\p{L}\p{M}]+|\p{N}+|\s+|[^\s\p{L}\p{M}\p{N}]+/gu;

const utf8Bytes = (codePoint: number) => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4);

/** `run` cut into slices of at most RUN_BYTES bytes, never inside a character. */
function* slicesOf(run: string): Generator<string> {
  let at = 0;
  let bytes = 0;
  for (let i = 0; i < run.length; ) {
    const codePoint = run.codePointAt(i)!;
    const width = utf8Bytes(codePoint);
    if (bytes + width > RUN_BYTES) {
      yield run.slice(at, i);
      at = i;
      bytes = 0;
    }
    bytes += width;
    i += codePoint > 0xffff ? 2 : 1;
  }
  if (at < run.length) yield run.slice(at);
}

let encoder: Tiktoken | undefined;

/** Loads the tokenizer's ranks (about a second of CPU, once): call it at start-up, not mid-call. */
export function loadTokenizer(): Tiktoken {
  encoder ??= getEncoding('o200k_base');
  return encoder;
}

/**
 * Pieces of `text` to encode one by one: short runs gathered into chunks of about CHUNK_CHARS (cut
 * before whitespace), a run longer than RUN_BYTES cut into slices of RUN_BYTES, each encoded alone.
 */
function* chunksOf(text: string): Generator<string> {
  let chunk = '';
  for (const [run] of text.matchAll(RUNS)) {
    if (run.length <= RUN_BYTES && Buffer.byteLength(run, 'utf8') <= RUN_BYTES) {
      if (chunk.length + run.length > CHUNK_CHARS && /^\s/.test(run)) {
        yield chunk;
        chunk = '';
      }
      chunk += run;
      if (chunk.length >= 2 * CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
      continue;
    }
    if (chunk) yield chunk;
    chunk = '';
    yield* slicesOf(run);
  }
  if (chunk) yield chunk;
}

/** Counts tokens, sharing one budget of encoded characters and one yield clock across a prompt's texts. */
class Counter {
  private encodedChars = 0;
  private sliceStartedAt = performance.now();
  total = 3;

  async add(text: string): Promise<void> {
    const tokenizer = loadTokenizer();
    let offset = 0;
    for (const chunk of chunksOf(text.slice(0, Math.max(0, MAX_ENCODED_CHARS - this.encodedChars)))) {
      // Special tokens in the text (`<|endoftext|>`) are plain text to the provider; count them so.
      this.total += tokenizer.encode(chunk, [], []).length;
      offset += chunk.length;
      if (performance.now() - this.sliceStartedAt > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        this.sliceStartedAt = performance.now();
      }
    }
    this.encodedChars += offset;
    if (offset < text.length) this.total += Buffer.byteLength(text.slice(offset), 'utf8');
  }
}

export async function estimatePromptTokens(messages: readonly ChatMessage[], schema?: unknown): Promise<number> {
  const counter = new Counter();
  for (const m of messages) {
    counter.total += TOKENS_PER_MESSAGE;
    await counter.add(m.content);
    if (m.role === 'assistant') for (const call of m.toolCalls ?? []) await counter.add(`${call.name} ${call.arguments}`);
  }
  if (schema) await counter.add(JSON.stringify(schema));
  return counter.total;
}
