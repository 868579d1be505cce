// Turns zod's findings about ROUTES into the lines of a ConfigError: which route (by index and topic),
// which key, and for an unknown key the known one it probably meant. The route schemas are strict, so
// a typo such as `maxOpenRun` stops start-up instead of silently turning backpressure off.
import type { z } from 'zod';
import { closestName } from './lib/did-you-mean';

interface Wrapped {
  readonly def?: { readonly innerType?: unknown };
  readonly shape?: Record<string, unknown>;
}

/** Through optional/default wrappers to the object schema at `path`, and its keys. */
function keysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  const unwrap = (s: unknown): Wrapped | undefined => {
    let current = s as Wrapped | undefined;
    while (current?.def?.innerType) current = current.def.innerType as Wrapped;
    return current;
  };
  let current = unwrap(schema);
  for (const key of path) current = unwrap(current?.shape?.[String(key)]);
  return current?.shape ? Object.keys(current.shape) : [];
}

export function routeIssueMessages(error: z.ZodError, raw: unknown, routeSchema: z.ZodType): string[] {
  return error.issues.map((issue) => {
    const [index, ...inRoute] = issue.path;
    const topic = Array.isArray(raw) && typeof index === 'number' ? (raw[index] as { topic?: unknown } | undefined)?.topic : undefined;
    const route = typeof topic === 'string' ? ` (route of topic ${topic})` : '';
    if (issue.code !== 'unrecognized_keys') return `ROUTES[${issue.path.join('.')}]: ${issue.message}${route}`;
    const known = keysAt(routeSchema, inRoute);
    return issue.keys.map((key) => {
      const guess = closestName(key, known);
      return `ROUTES[${issue.path.join('.')}]: unknown key ${key}${route}; ${guess ? `did you mean ${guess}?` : `known keys: ${known.join(', ')}`}`;
    }).join('\n  - ');
  });
}
