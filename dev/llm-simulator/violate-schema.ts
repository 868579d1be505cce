// The `wrong-fields` and `bad-tool-args` faults: takes a schema-valid instance and breaks it so
// that it still parses but a validator refuses it, the way models go wrong with structured output
// (a required field left out, a number where a string belongs) and with tools (an argument the
// tool does not have, a value outside its enum). Only the top level is touched, where a gateway's
// validator looks first and a test can see the damage.
import type { Rng } from './prng';

type SchemaObject = Record<string, unknown>;
export type ViolationMode = 'wrong-fields' | 'hallucinated';
export interface Violation {
  value: unknown;
  /** What was broken, with JSON pointers: `dropped required property /city`. */
  detail: string;
}

// Argument names models invent for tools that do not take them.
const HALLUCINATED_NAMES = ['confidence_score', 'reasoning', 'user_id', 'priority', 'notes', 'metadata', 'force'];
const HALLUCINATED_VALUES: readonly unknown[] = ['high', 0.93, true, 'see above'];
// Values models put where an enum allows something else.
const OFF_ENUM_WORDS = ['unknown', 'mixed', 'other', 'n/a', 'somewhat positive'];
// Refs nest this deep at most before the schema counts as unreadable here.
const REF_HOPS_MAX = 16;

const isObject = (value: unknown): value is SchemaObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function resolve(schema: unknown, root: unknown): unknown {
  let node = schema;
  for (let hop = 0; hop < REF_HOPS_MAX && isObject(node) && typeof node.$ref === 'string' && node.$ref.startsWith('#'); hop += 1) {
    let target: unknown = root;
    for (const raw of node.$ref.slice(1).split('/').filter((part) => part !== '')) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObject(target) ? target[key] : undefined;
    }
    node = target;
  }
  return node;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function allowedTypes(schema: SchemaObject): string[] | null {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.map(String);
  return null;
}

function outsideEnum(schema: SchemaObject, rng: Rng): unknown {
  const listed = Array.isArray(schema.enum) ? schema.enum : [schema.const];
  const words = OFF_ENUM_WORDS.filter((word) => !listed.includes(word));
  return words.length > 0 ? rng.pick(words) : `not-${listed.map(String).join('-')}`;
}

// A value the property's schema refuses, or null when nothing is sure to be refused (an open
// schema, a union): an enum or const gets a value outside it, a typed schema a value of another type.
function refusedValue(schema: unknown, rng: Rng): { value: unknown; why: string } | null {
  if (!isObject(schema)) return null;
  if (Array.isArray(schema.enum) || 'const' in schema) return { value: outsideEnum(schema, rng), why: 'a value outside its enum' };
  const types = allowedTypes(schema);
  if (types === null) return null;
  const allows = (value: unknown): boolean => types.includes(jsonType(value)) || (jsonType(value) === 'integer' && types.includes('number'));
  const value = [42, 'forty-two', true, ['see above'], { note: 'see above' }, null].find((candidate) => !allows(candidate));
  return value === undefined ? null : { value, why: `a ${jsonType(value)} where the schema wants ${types.join(' or ')}` };
}

type Edit = { apply: (out: Record<string, unknown>) => void; detail: string };

/**
 * Breaks `instance` (valid against `schema`). `wrong-fields` drops a required property or gives
 * one a refused value; `hallucinated` adds an argument the schema does not define and also drops a
 * required one or puts a value outside an enum (or of a wrong type) when the schema has any.
 */
export function violateSchema(schema: unknown, instance: unknown, mode: ViolationMode, rng: Rng): Violation {
  const root = resolve(schema, schema);
  if (!isObject(root) || !isObject(instance)) {
    const refused = refusedValue(root, rng);
    return refused
      ? { value: refused.value, detail: `the answer is ${refused.why}` }
      : { value: instance, detail: 'the schema accepts any JSON here, so the answer stayed valid' };
  }
  const properties = isObject(root.properties) ? root.properties : {};
  const required = Array.isArray(root.required) ? root.required.map(String) : [];
  const out: Record<string, unknown> = { ...instance };

  const drops: Edit[] = required.filter((key) => key in out).map((key) => ({ apply: (o) => delete o[key], detail: `dropped required property /${key}` }));
  const retypes: Edit[] = [];
  const offEnums: Edit[] = [];
  for (const key of Object.keys(out).filter((k) => k in properties)) {
    const propertySchema = resolve(properties[key], schema);
    const refused = refusedValue(propertySchema, rng);
    if (!refused) continue;
    const edit: Edit = { apply: (o) => (o[key] = refused.value), detail: `/${key} is ${refused.why}` };
    (isObject(propertySchema) && (Array.isArray(propertySchema.enum) || 'const' in propertySchema) ? offEnums : retypes).push(edit);
  }

  const edits: Edit[] = [];
  if (mode === 'hallucinated') {
    const name = HALLUCINATED_NAMES.find((candidate) => !(candidate in properties)) ?? `extra_${Object.keys(properties).length}`;
    const value = rng.pick(HALLUCINATED_VALUES);
    edits.push({ apply: (o) => (o[name] = value), detail: `added /${name}, which the schema does not define` });
    // A hallucinating model invents an argument and also gets a real one wrong.
    const second = [...drops, ...offEnums].length > 0 ? [...drops, ...offEnums] : retypes;
    if (second.length > 0) edits.push(rng.pick(second));
  } else {
    const choices = [...drops, ...retypes, ...offEnums];
    if (choices.length > 0) edits.push(rng.pick(choices));
  }
  if (edits.length === 0) return { value: out, detail: 'the schema requires nothing and constrains no property, so the answer stayed valid' };
  for (const edit of edits) edit.apply(out);
  return { value: out, detail: edits.map((edit) => edit.detail).join('; ') };
}
