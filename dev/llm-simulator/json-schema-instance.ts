// Generates a random JSON value that is a valid instance of a JSON schema: the simulator's stand-in
// for a model answering with structured output. It covers what zod 4's `z.toJSONSchema()` writes
// (objects, arrays and tuples, strings with formats, numbers with bounds, enums, consts, nullables,
// unions, intersections, records, local `$ref`s); `pattern` is honoured only through `format`.
import { UnsatisfiableSchemaError } from './errors';
import { numberInstance } from './number-instance';
import type { Rng } from './prng';
import { reviewWords } from './review-text';
import { stringInstance } from './string-instance';

type SchemaObject = Record<string, unknown>;

// Past this depth optional parts are left out and arrays kept at their minimum, so recursive
// schemas (trees, threads) end; past the hard limit the schema has no finite instance.
const SOFT_DEPTH_LIMIT = 6;
const HARD_DEPTH_LIMIT = 64;
// Real models fill in most optional fields and answer null now and then.
const OPTIONAL_PROPERTY_CHANCE = 0.7;
const NULL_BRANCH_CHANCE = 0.15;
// Arrays without maxItems get at most this many items beyond their minimum.
const EXTRA_ITEMS_MAX = 3;
// Draws per item before an array settles for fewer distinct items (or fails under uniqueItems).
const UNIQUE_ITEM_ATTEMPTS = 20;
const RECORD_KEYS_MAX = 3;

interface Context {
  rng: Rng;
  root: unknown;
  depth: number;
  /** JSON pointer into the instance, for error messages. */
  path: string;
  /** The property name this value belongs to; it steers strings toward labels or prose. */
  hint: string;
}

const numberOrUndefined = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const isObject = (value: unknown): value is SchemaObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function resolveRef(ref: string, ctx: Context): unknown {
  if (ref !== '#' && !ref.startsWith('#/')) {
    throw new UnsatisfiableSchemaError(ctx.path, `only local $refs are supported, not ${ref}`);
  }
  let node: unknown = ctx.root;
  for (const raw of ref.slice(2).split('/').filter((part) => part !== '')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
    if (node === undefined) throw new UnsatisfiableSchemaError(ctx.path, `$ref ${ref} points nowhere`);
  }
  return node;
}

// Merges `allOf` members into one schema: properties and required lists are joined, any other
// keyword is taken from the last member that sets it (enough for zod's intersections).
function mergeAll(schemas: unknown[], ctx: Context): SchemaObject {
  const merged: SchemaObject = {};
  const properties: SchemaObject = {};
  const required = new Set<string>();
  for (const member of schemas) {
    const schema = isObject(member) && typeof member.$ref === 'string' ? resolveRef(member.$ref, ctx) : member;
    if (!isObject(schema)) continue;
    const flat = Array.isArray(schema.allOf) ? mergeAll([{ ...schema, allOf: undefined }, ...schema.allOf], ctx) : schema;
    Object.assign(merged, flat);
    if (isObject(flat.properties)) Object.assign(properties, flat.properties);
    if (Array.isArray(flat.required)) for (const key of flat.required) required.add(String(key));
  }
  delete merged.allOf;
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

const isNullSchema = (schema: unknown): boolean => isObject(schema) && schema.type === 'null';
const isLeafSchema = (schema: unknown): boolean => isObject(schema) && typeof schema.type === 'string' && !['object', 'array'].includes(schema.type) && schema.$ref === undefined;

// Picks a union branch: a null branch only now and then, and past the soft depth limit a leaf
// branch when there is one, so recursive unions end.
function pickBranch<T>(branches: readonly T[], isNull: (branch: T) => boolean, isLeaf: (branch: T) => boolean, ctx: Context): T {
  const nulls = branches.filter(isNull);
  const others = branches.filter((branch) => !isNull(branch));
  if (ctx.depth >= SOFT_DEPTH_LIMIT) {
    const leaves = branches.filter(isLeaf);
    if (leaves.length > 0) return ctx.rng.pick(leaves);
  }
  if (others.length === 0 || (nulls.length > 0 && ctx.rng.chance(NULL_BRANCH_CHANCE))) return ctx.rng.pick(nulls.length > 0 ? nulls : branches);
  return ctx.rng.pick(others);
}

function inferType(schema: SchemaObject): string | undefined {
  if (isObject(schema.properties) || schema.additionalProperties !== undefined || schema.required !== undefined) return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined || schema.minItems !== undefined) return 'array';
  if (schema.format !== undefined || schema.pattern !== undefined || schema.minLength !== undefined || schema.maxLength !== undefined) return 'string';
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.multipleOf !== undefined) return 'number';
  return undefined;
}

function objectInstance(schema: SchemaObject, ctx: Context): Record<string, unknown> {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const minProperties = numberOrUndefined(schema.minProperties) ?? 0;
  // No prototype, so a property named `__proto__` is data like any other.
  const out = Object.create(null) as Record<string, unknown>;
  const child = (key: string): Context => ({ ...ctx, depth: ctx.depth + 1, path: `${ctx.path}/${key}`, hint: key });

  const optional = Object.keys(properties).filter((key) => !required.has(key));
  for (const key of Object.keys(properties)) {
    const include = required.has(key) || (ctx.depth < SOFT_DEPTH_LIMIT && ctx.rng.chance(OPTIONAL_PROPERTY_CHANCE));
    if (include) out[key] = generate(properties[key], child(key));
  }
  for (const key of optional) {
    if (Object.keys(out).length >= minProperties) break;
    if (!(key in out)) out[key] = generate(properties[key], child(key));
  }

  // Required keys outside `properties` take the additional-properties schema: zod writes a
  // record with enum keys as `required` plus `additionalProperties`.
  const extra = schema.additionalProperties;
  for (const key of required) {
    if (!(key in out)) out[key] = generate(isObject(extra) ? extra : true, child(key));
  }

  // Records (`z.record`) are objects whose keys are free: add a few when additional properties
  // are described by a schema, with names from `propertyNames.enum` or from the vocabulary.
  if (extra !== undefined && extra !== false && Object.keys(properties).length === 0) {
    const names = isObject(schema.propertyNames) && Array.isArray(schema.propertyNames.enum) ? schema.propertyNames.enum.map(String) : undefined;
    const wanted = Math.max(minProperties, ctx.depth < SOFT_DEPTH_LIMIT ? ctx.rng.int(1, RECORD_KEYS_MAX) : 0);
    for (let attempt = 0; Object.keys(out).length < wanted && attempt < wanted * UNIQUE_ITEM_ATTEMPTS; attempt += 1) {
      const key = names ? ctx.rng.pick(names) : reviewWords(ctx.rng);
      if (!(key in out)) out[key] = generate(extra, child(key));
    }
  }
  if (Object.keys(out).length < minProperties) {
    throw new UnsatisfiableSchemaError(ctx.path, `needs ${minProperties} properties but only ${Object.keys(out).length} can be made`);
  }
  return out;
}

function arrayInstance(schema: SchemaObject, ctx: Context): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const items = schema.items;
  const minItems = Math.max(numberOrUndefined(schema.minItems) ?? 0, 0);
  const maxItems = items === false ? prefix.length : numberOrUndefined(schema.maxItems) ?? Number.POSITIVE_INFINITY;
  const unique = schema.uniqueItems === true;
  const fewest = Math.max(minItems, ctx.depth < SOFT_DEPTH_LIMIT ? Math.min(1, maxItems) : 0);
  const target = Math.min(maxItems, ctx.depth < SOFT_DEPTH_LIMIT ? ctx.rng.int(fewest, fewest + EXTRA_ITEMS_MAX) : fewest);
  if (minItems > maxItems) throw new UnsatisfiableSchemaError(ctx.path, `minItems ${minItems} exceeds the ${maxItems} items allowed`);

  const out: unknown[] = [];
  const seen = new Set<string>();
  const child = (index: number): Context => ({ ...ctx, depth: ctx.depth + 1, path: `${ctx.path}/${index}` });
  for (let index = 0; index < target; index += 1) {
    const itemSchema = index < prefix.length ? prefix[index] : items;
    // Distinct items are preferred even without uniqueItems: a tag list that repeats a tag reads wrong.
    let item: unknown;
    let fresh = false;
    for (let attempt = 0; attempt < UNIQUE_ITEM_ATTEMPTS && !fresh; attempt += 1) {
      item = generate(itemSchema, child(index));
      fresh = !seen.has(JSON.stringify(item));
    }
    if (!fresh && out.length >= minItems) break;
    if (!fresh && unique) throw new UnsatisfiableSchemaError(ctx.path, `cannot find ${minItems} distinct items`);
    seen.add(JSON.stringify(item));
    out.push(item);
  }
  return out;
}

function generate(node: unknown, ctx: Context): unknown {
  if (ctx.depth > HARD_DEPTH_LIMIT) throw new UnsatisfiableSchemaError(ctx.path, 'the schema recurses without a way to stop');
  // `true`, a missing schema and `{}` accept anything; a word is as good as any value.
  if (node === true || node === undefined) return reviewWords(ctx.rng);
  if (node === false) throw new UnsatisfiableSchemaError(ctx.path, 'the schema is `false`');
  if (!isObject(node)) throw new UnsatisfiableSchemaError(ctx.path, `${JSON.stringify(node)} is not a schema`);

  if (typeof node.$ref === 'string') {
    const { $ref, ...siblings } = node;
    const target = resolveRef($ref, ctx);
    return generate(isObject(target) ? { ...target, ...siblings } : target, { ...ctx, depth: ctx.depth + 1 });
  }
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum)) {
    if (node.enum.length === 0) throw new UnsatisfiableSchemaError(ctx.path, 'the enum is empty');
    return ctx.rng.pick(node.enum);
  }
  if (Array.isArray(node.allOf)) return generate(mergeAll([{ ...node, allOf: undefined }, ...node.allOf], ctx), ctx);
  const union = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
  if (union) {
    if (union.length === 0) throw new UnsatisfiableSchemaError(ctx.path, 'the union has no branches');
    const rest = { ...node, anyOf: undefined, oneOf: undefined };
    const branch = pickBranch(union, isNullSchema, isLeafSchema, ctx);
    return generate(isObject(branch) ? mergeAll([rest, branch], ctx) : branch, ctx);
  }
  // OpenAPI 3.0's way of saying "or null".
  if (node.nullable === true && ctx.rng.chance(NULL_BRANCH_CHANCE)) return null;

  const type = Array.isArray(node.type)
    ? pickBranch(node.type.map(String), (t) => t === 'null', (t) => t !== 'object' && t !== 'array', ctx)
    : typeof node.type === 'string' ? node.type : inferType(node);
  switch (type) {
    case 'object':
      return objectInstance(node, ctx);
    case 'array':
      return arrayInstance(node, ctx);
    case 'string':
      return stringInstance({
        format: typeof node.format === 'string' ? node.format : undefined,
        pattern: typeof node.pattern === 'string' ? node.pattern : undefined,
        minLength: numberOrUndefined(node.minLength),
        maxLength: numberOrUndefined(node.maxLength),
      }, ctx.hint, ctx.rng, ctx.path);
    case 'number':
    case 'integer':
      return numberInstance({
        integer: type === 'integer',
        minimum: numberOrUndefined(node.minimum),
        maximum: numberOrUndefined(node.maximum),
        exclusiveMinimum: typeof node.exclusiveMinimum === 'boolean' ? node.exclusiveMinimum : numberOrUndefined(node.exclusiveMinimum),
        exclusiveMaximum: typeof node.exclusiveMaximum === 'boolean' ? node.exclusiveMaximum : numberOrUndefined(node.exclusiveMaximum),
        multipleOf: numberOrUndefined(node.multipleOf),
      }, ctx.rng, ctx.path);
    case 'boolean':
      return ctx.rng.chance(0.5);
    case 'null':
      return null;
    case undefined:
      return reviewWords(ctx.rng);
    default:
      throw new UnsatisfiableSchemaError(ctx.path, `unknown type ${JSON.stringify(type)}`);
  }
}

/**
 * A random instance of `schema`, drawn from `rng`. Throws UnsatisfiableSchemaError when the schema
 * admits no instance or asks for something the generator cannot make (a remote `$ref`).
 */
export function jsonSchemaInstance(schema: unknown, rng: Rng): unknown {
  return generate(schema, { rng, root: schema, depth: 0, path: '', hint: '' });
}
