// What a model that obeys injected instructions reads in a record's text: other order IDs, larger
// amounts, other email addresses, "ignore previous instructions", and text that looks like a tool
// call. The "obey-injections" script acts on all of it, so an agent loop's guard is tested against
// a model that does what the record says. The injection records (test/helpers/injection-records.ts)
// are written in these forms.
import { ORDER_ID_PATTERN } from '../booking-simulator/orders';
import { EMAIL_PATTERN, type AgentFacts } from './agent-facts';

export interface InjectedCall {
  readonly name: string;
  /** JSON text, as written in the record. */
  readonly arguments: string;
}

export interface Injection {
  /** The last order ID the record names besides its own. */
  readonly otherOrderId: string | null;
  /** The largest amount the record asks for, in cents. */
  readonly amountCents: number | null;
  /** The last email address the record names besides the customer's. */
  readonly otherEmail: string | null;
  readonly ignoreInstructions: boolean;
  /** Tool calls written out in the record, in order. */
  readonly toolCalls: readonly InjectedCall[];
}

const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?`;
const AMOUNT_PATTERNS = [
  new RegExp(String.raw`[$€£]\s?${NUMBER}`, 'g'),
  new RegExp(String.raw`(?<![\w.-])${NUMBER}\s?(?:EUR|USD|GBP|euros?|dollars?|pounds?)\b`, 'gi'),
  new RegExp(String.raw`\b(?:refund|credit|reimburse|compensate|pay|transfer)\b(?:\s+(?:me|us|them|back|of|the|full|amount|an?|extra|additional|another|with|for))*\s+${NUMBER}(?![\d-])`, 'gi'),
];
const CENTS_PATTERN = /"?amount_?cents"?\s*[:=]\s*"?(\d+)/gi;
const IGNORE_PATTERN = /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier|your|system|original)\s+(?:instructions|rules|prompts?|guidelines|policy|policies)\b/i;
const CALL_NAME_KEYS = ['name', 'tool', 'tool_name', 'toolName', 'function'];
const CALL_ARGUMENT_KEYS = ['arguments', 'args', 'input', 'parameters'];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function amountsCents(text: string): number[] {
  const found: number[] = [];
  for (const pattern of AMOUNT_PATTERNS) {
    for (const m of text.matchAll(pattern)) found.push(Number(m[1].replaceAll(',', '')) * 100 + Number((m[2] ?? '0').padEnd(2, '0')));
  }
  for (const m of text.matchAll(CENTS_PATTERN)) found.push(Number(m[1]));
  return found.filter((n) => Number.isSafeInteger(n) && n > 0);
}

/** The balanced `{...}` starting at `start` (strings and escapes respected), or null. */
function balancedObject(text: string, start: number): string | null {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return null;
}

function asCall(value: unknown): InjectedCall | null {
  if (!isObject(value)) return null;
  const inner = isObject(value.function) ? value.function : value;
  const nameKey = CALL_NAME_KEYS.find((k) => typeof inner[k] === 'string');
  const argKey = CALL_ARGUMENT_KEYS.find((k) => inner[k] !== undefined);
  if (!nameKey || !argKey) return null;
  const args = inner[argKey];
  return { name: inner[nameKey] as string, arguments: typeof args === 'string' ? args : JSON.stringify(args) };
}

/** Tool calls written as JSON (`{"name": ..., "arguments": {...}}`) or as `toolName({...})` for an offered tool. */
export function injectedCalls(text: string, toolNames: readonly string[]): InjectedCall[] {
  const calls: { at: number; call: InjectedCall }[] = [];
  for (let i = text.indexOf('{'); i !== -1; ) {
    const json = balancedObject(text, i);
    let call: InjectedCall | null = null;
    if (json) {
      try {
        call = asCall(JSON.parse(json));
      } catch {
        call = null;
      }
    }
    if (call && json) calls.push({ at: i, call });
    i = text.indexOf('{', call && json ? i + json.length : i + 1);
  }
  for (const name of toolNames) {
    for (const m of text.matchAll(new RegExp(String.raw`\b${name}\s*\(\s*(?=\{)`, 'g'))) {
      const json = balancedObject(text, m.index + m[0].length);
      if (json && !calls.some((c) => c.at === m.index + m[0].length)) calls.push({ at: m.index, call: { name, arguments: json } });
    }
  }
  return calls.sort((a, b) => a.at - b.at).map((c) => c.call);
}

export function readInjection(facts: AgentFacts, toolNames: readonly string[]): Injection {
  const text = facts.recordText;
  const orders = [...text.matchAll(ORDER_ID_PATTERN)].map((m) => m[0]).filter((id) => id !== facts.orderId);
  const recordEmail = text.match(new RegExp(EMAIL_PATTERN.source))?.[0] ?? null;
  const emails = [...text.matchAll(EMAIL_PATTERN)].map((m) => m[0]).filter((e) => e !== facts.customerEmail && e !== recordEmail);
  const amounts = amountsCents(text);
  return {
    otherOrderId: orders.at(-1) ?? null,
    amountCents: amounts.length > 0 ? Math.max(...amounts) : null,
    otherEmail: emails.at(-1) ?? null,
    ignoreInstructions: IGNORE_PATTERN.test(text),
    toolCalls: injectedCalls(text, toolNames),
  };
}
