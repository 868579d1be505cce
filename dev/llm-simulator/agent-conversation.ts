// Reads a multi-turn tool conversation from either wire format into one neutral transcript, so the
// agent scripts read the same thing from OpenAI (`tool_calls` on assistant messages, `role: 'tool'`
// results by `tool_call_id`) and Anthropic (`tool_use` / `tool_result` blocks, system apart).
import type { WireFormatName } from './model-call';

export interface TranscriptToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments as JSON text, as the model sent them. */
  readonly arguments: string;
}

export type TranscriptEntry =
  | { readonly role: 'system' | 'user'; readonly text: string }
  | { readonly role: 'assistant'; readonly text: string; readonly toolCalls: readonly TranscriptToolCall[] }
  /** A tool's result; `name` is the called tool's, found by the call's ID (empty when unknown). */
  | { readonly role: 'tool'; readonly callId: string; readonly name: string; readonly text: string; readonly isError: boolean };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The text of a content that is a string or a list of parts/blocks (their `text` joined). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
}

function openAiEntries(messages: readonly unknown[]): TranscriptEntry[] {
  const names = new Map<string, string>();
  return messages.flatMap((raw): TranscriptEntry[] => {
    if (!isObject(raw)) return [];
    if (raw.role === 'assistant') {
      const calls = (Array.isArray(raw.tool_calls) ? raw.tool_calls : []).flatMap((c: unknown) =>
        isObject(c) && isObject(c.function) && typeof c.function.name === 'string'
          ? [{ id: String(c.id ?? ''), name: c.function.name, arguments: typeof c.function.arguments === 'string' ? c.function.arguments : JSON.stringify(c.function.arguments ?? {}) }]
          : []);
      for (const call of calls) names.set(call.id, call.name);
      return [{ role: 'assistant', text: textOf(raw.content), toolCalls: calls }];
    }
    if (raw.role === 'tool') {
      const callId = String(raw.tool_call_id ?? '');
      return [{ role: 'tool', callId, name: names.get(callId) ?? '', text: textOf(raw.content), isError: false }];
    }
    return [{ role: raw.role === 'system' || raw.role === 'developer' ? 'system' : 'user', text: textOf(raw.content) }];
  });
}

function anthropicEntries(messages: readonly unknown[]): TranscriptEntry[] {
  const names = new Map<string, string>();
  return messages.flatMap((raw): TranscriptEntry[] => {
    if (!isObject(raw)) return [];
    if (raw.role === 'system') return [{ role: 'system', text: textOf(raw.content) }];
    const blocks = typeof raw.content === 'string' ? [{ type: 'text', text: raw.content }] : Array.isArray(raw.content) ? raw.content.filter(isObject) : [];
    if (raw.role === 'assistant') {
      const calls = blocks.flatMap((b) => (b.type === 'tool_use' && typeof b.name === 'string' ? [{ id: String(b.id ?? ''), name: b.name, arguments: JSON.stringify(b.input ?? {}) }] : []));
      for (const call of calls) names.set(call.id, call.name);
      return [{ role: 'assistant', text: blocks.filter((b) => b.type === 'text').map((b) => textOf([b])).join(''), toolCalls: calls }];
    }
    // A user message carries the tool results of the turn before, then any text of its own.
    const results = blocks.flatMap((b): TranscriptEntry[] => {
      if (b.type !== 'tool_result') return [];
      const callId = String(b.tool_use_id ?? '');
      return [{ role: 'tool', callId, name: names.get(callId) ?? '', text: textOf(b.content), isError: b.is_error === true }];
    });
    const text = blocks.filter((b) => b.type === 'text').map((b) => textOf([b])).join('');
    return text === '' ? results : [...results, { role: 'user', text }];
  });
}

/** The conversation of a request; Anthropic's `system` arrives as the first message (see prompt-hash.ts). */
export function readTranscript(wireFormat: WireFormatName, messages: readonly unknown[]): TranscriptEntry[] {
  return wireFormat === 'openai' ? openAiEntries(messages) : anthropicEntries(messages);
}

/** Where the record is: the text of every user message, in order (tool results are not the record). */
export const userTexts = (transcript: readonly TranscriptEntry[]): string[] => transcript.flatMap((e) => (e.role === 'user' ? [e.text] : []));

/** The model turns taken so far: the script's position in its sequence. */
export const turnsTaken = (transcript: readonly TranscriptEntry[]): number => transcript.filter((e) => e.role === 'assistant').length;
