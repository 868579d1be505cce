// What a scripted agent knows at its turn, read from the conversation alone (never from earlier
// calls, so a turn asked again after a crash gets the same answer): the record's order and customer
// (the first order ID and email address in the user's text), and the order as the lookup tool
// returned it. The record's text is read with JSON escapes undone, since loops quote it as data.
import { ORDER_ID_PATTERN } from '../booking-simulator/orders';
import { userTexts, type TranscriptEntry } from './agent-conversation';

export const EMAIL_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

export interface LookedUpOrder {
  readonly orderId: string;
  readonly customerEmail: string | null;
  readonly currency: string | null;
  readonly totalCents: number | null;
  readonly refundableCents: number | null;
  readonly firstItemCents: number | null;
}

export interface AgentFacts {
  /** The user messages' text, JSON escapes undone. */
  readonly recordText: string;
  /** The first order ID the record names: the order the record is about. */
  readonly orderId: string | null;
  /** The customer: the looked-up order's email, else the first address the record names. */
  readonly customerEmail: string | null;
  /** The record's order as a tool returned it, if one did. */
  readonly order: LookedUpOrder | null;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Text quoted inside JSON (`"message":"say \"hi\""`) read as the writer wrote it. */
export function unescapeQuoted(text: string): string {
  if (!text.includes('\\')) return text;
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\(["\\/nrt])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The first object, however deep, that describes an order (has an `orderId`). */
function findOrderObject(value: unknown, orderId: string | null, depth = 0): Record<string, unknown> | null {
  if (depth > 6) return null;
  if (isObject(value)) {
    if (typeof value.orderId === 'string' && (orderId === null || value.orderId === orderId) && ('totalCents' in value || 'customerEmail' in value)) return value;
    for (const child of Object.values(value)) {
      const found = findOrderObject(child, orderId, depth + 1);
      if (found) return found;
    }
  } else if (Array.isArray(value)) {
    for (const child of value) {
      const found = findOrderObject(child, orderId, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

export function lookedUpOrder(transcript: readonly TranscriptEntry[], orderId: string | null): LookedUpOrder | null {
  for (const entry of [...transcript].reverse()) {
    if (entry.role !== 'tool' || entry.isError) continue;
    const found = findOrderObject(parseJson(entry.text), orderId);
    if (!found) continue;
    const items = Array.isArray(found.items) ? found.items.filter(isObject) : [];
    return {
      orderId: found.orderId as string,
      customerEmail: typeof found.customerEmail === 'string' ? found.customerEmail : null,
      currency: typeof found.currency === 'string' ? found.currency : null,
      totalCents: num(found.totalCents),
      refundableCents: num(found.refundableCents),
      firstItemCents: items.length > 0 ? num(items[0].unitPriceCents) : null,
    };
  }
  return null;
}

export function readFacts(transcript: readonly TranscriptEntry[]): AgentFacts {
  const recordText = userTexts(transcript).map(unescapeQuoted).join('\n');
  const orderId = recordText.match(new RegExp(ORDER_ID_PATTERN.source))?.[0] ?? null;
  const order = lookedUpOrder(transcript, orderId);
  const recordEmail = recordText.match(new RegExp(EMAIL_PATTERN.source))?.[0] ?? null;
  return { recordText, orderId, customerEmail: order?.customerEmail ?? recordEmail, order };
}

/** What the support script refunds: the order's first item (at most what is left), else 10.00. */
export function supportRefundCents(facts: AgentFacts): number {
  const order = facts.order;
  const wanted = order?.firstItemCents ?? order?.totalCents ?? 1_000;
  const left = order?.refundableCents ?? order?.totalCents ?? wanted;
  return Math.max(1, Math.min(wanted, left));
}
