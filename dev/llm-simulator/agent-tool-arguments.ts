// Turns what a scripted agent means to do ("refund 8900 cents on ord-1001") into arguments that fit
// the offered tool's JSON schema, whatever the agent named its parameters: each property is matched
// by its name (orderId, amountCents or amount, to or email, subject, body, reason); a property the
// record's text names (`"itemId": "x"` or `itemId: x`, the first mention) takes that value; other
// required properties get a seeded instance of their schema. Tools are found by role the same way.
import { jsonSchemaInstance } from './json-schema-instance';
import type { ToolSpec } from './model-call';
import type { Rng } from './prng';

export interface IntendedValues {
  readonly orderId?: string | null;
  readonly amountCents?: number | null;
  readonly email?: string | null;
  readonly subject?: string;
  readonly body?: string;
  readonly reason?: string;
}

export type ToolRole = 'read' | 'refund' | 'email';

// The example agent's names first; then what such tools are usually called.
const EXACT: Record<ToolRole, string> = { read: 'lookupOrder', refund: 'issueRefund', email: 'sendEmail' };
const PATTERNS: Record<ToolRole, RegExp> = {
  read: /^(lookup|get|find|read|fetch|search|show|check|list)/i,
  // Anchored at the start: a tool that merely mentions a word (labelSendNoticeItem) plays no role.
  refund: /^(issue|make|create|give)?(refund|credit|reimburse)/i,
  email: /^(send|email|mail|notify)/i,
};

export function toolForRole(tools: readonly ToolSpec[], role: ToolRole): ToolSpec | undefined {
  return tools.find((t) => t.name === EXACT[role]) ?? tools.find((t) => PATTERNS[role].test(t.name));
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function typeOf(schema: unknown): string | undefined {
  if (!isObject(schema)) return undefined;
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') as string | undefined;
  return undefined;
}

/** The value for one property by its name, in its schema's type; undefined when nothing fits. */
function valueFor(name: string, schema: unknown, values: IntendedValues): unknown {
  const type = typeOf(schema);
  const n = name.toLowerCase();
  if (/order/.test(n) && values.orderId) return values.orderId;
  if (/amount|cents|sum|value/.test(n) && values.amountCents != null) {
    if (/cents/.test(n) || type === 'integer') return values.amountCents;
    return type === 'string' ? (values.amountCents / 100).toFixed(2) : values.amountCents / 100;
  }
  if ((/email|recipient|address/.test(n) || n === 'to') && values.email) return values.email;
  if (/subject|title/.test(n) && values.subject) return values.subject;
  if (/body|text|message|content/.test(n) && values.body) return values.body;
  if (/reason|note|comment/.test(n) && values.reason) return values.reason;
  return undefined;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The value the text gives a property by name: `"name": "value"` (JSON) or `name: value`, first mention. */
export function namedInText(text: string, name: string): string | undefined {
  const n = escapeRegExp(name);
  const quoted = new RegExp(`"${n}"\\s*:\\s*"([^"]{1,300})"`).exec(text);
  const plain = new RegExp(`\\b${n}\\s*[:=]\\s*([^\\s",;()<>]{1,300})`).exec(text);
  const first = [quoted, plain].filter((m) => m !== null).sort((a, b) => a.index - b.index)[0];
  return first?.[1].replace(/[.!?]+$/, '');
}

function fitsEnum(schema: unknown, value: string): boolean {
  return !isObject(schema) || !Array.isArray(schema.enum) || schema.enum.includes(value);
}

/** Arguments for `tool` carrying `values` where its properties take them; JSON text. */
export function fillArguments(tool: ToolSpec, values: IntendedValues, rng: Rng, recordText = ''): string {
  const schema = tool.parameters;
  if (!isObject(schema) || !isObject(schema.properties)) return '{}';
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const args: Record<string, unknown> = {};
  for (const [name, propSchema] of Object.entries(schema.properties)) {
    const value = valueFor(name, propSchema, values);
    const named = value === undefined && typeOf(propSchema) === 'string' ? namedInText(recordText, name) : undefined;
    if (value !== undefined) args[name] = value;
    else if (named !== undefined && fitsEnum(propSchema, named)) args[name] = named;
    else if (required.has(name)) args[name] = jsonSchemaInstance(propSchema, rng);
  }
  return JSON.stringify(args);
}
