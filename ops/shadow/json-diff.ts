// How a shadow run's result differs from the production run's: field by field, pure.

export interface JsonDifference {
  /** `tags[1]`, `booking.status`; `(result)` for the whole value. Absent `original`/`shadow`: the field is missing on that side. */
  readonly path: string;
  readonly original?: unknown;
  readonly shadow?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** The fields where two JSON values differ; objects and equal-length arrays are compared field by field. */
export function jsonDiff(original: unknown, shadow: unknown, path = ''): JsonDifference[] {
  if (isObject(original) && isObject(shadow)) {
    const keys = [...new Set([...Object.keys(original), ...Object.keys(shadow)])].sort();
    return keys.flatMap((k) => {
      if (!(k in shadow)) return [{ path: join(path, k), original: original[k] }];
      if (!(k in original)) return [{ path: join(path, k), shadow: shadow[k] }];
      return jsonDiff(original[k], shadow[k], join(path, k));
    });
  }
  if (Array.isArray(original) && Array.isArray(shadow) && original.length === shadow.length) {
    return original.flatMap((v, i) => jsonDiff(v, shadow[i], `${path}[${i}]`));
  }
  return JSON.stringify(original) === JSON.stringify(shadow) ? [] : [{ path: path || '(result)', original, shadow }];
}
