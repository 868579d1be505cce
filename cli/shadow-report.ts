// What `kta shadow` reports: per record the shadow run's outcome against the production run's result
// (a per-field JSON diff), the effects its stubs absorbed, its model calls; and the summary line.

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

export type ShadowStatus = 'equal' | 'differs' | 'failed' | 'not-compared' | 'not-shadowed';

export interface ShadowOutcome {
  readonly partition: number;
  readonly offset: string;
  readonly originalId: string;
  readonly status: ShadowStatus;
  readonly shadowId?: string;
  readonly workflowType?: string;
  /** Why it failed, was not compared (no completed original) or not shadowed. */
  readonly reason?: string;
  readonly diff?: JsonDifference[];
  readonly original?: unknown;
  readonly result?: unknown;
  /** What the run would have done: the stubbed activities it called, in order. */
  readonly effects?: { readonly activity: string; readonly args: unknown[] }[];
  readonly modelCalls?: number;
  readonly tokens?: number;
}

export interface ShadowReport {
  readonly ok: boolean;
  readonly name: string;
  readonly taskQueue: string;
  readonly workflows: string;
  readonly topic: string;
  readonly partition: number;
  readonly range: { readonly from: number; readonly to: number };
  readonly notes: string[];
  readonly summary: { readonly shadowed: number; readonly equal: number; readonly differs: number; readonly failed: number; readonly notCompared: number; readonly notShadowed: number };
  readonly records: ShadowOutcome[];
}

export function summarize(records: ShadowOutcome[]): ShadowReport['summary'] {
  const count = (status: ShadowStatus) => records.filter((r) => r.status === status).length;
  const notShadowed = count('not-shadowed');
  return { shadowed: records.length - notShadowed, equal: count('equal'), differs: count('differs'), failed: count('failed'), notCompared: count('not-compared'), notShadowed };
}

const short = (v: unknown, max = 60) => {
  const text = v === undefined ? '(absent)' : JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

export function formatDiff(diff: JsonDifference[]): string {
  return diff.map((d) => `${d.path}: ${short(d.original)} -> ${short(d.shadow)}`).join('; ');
}

export function formatOutcome(o: ShadowOutcome): string {
  const head = `@${o.offset}  ${o.originalId}  ${o.status}`;
  const detail = o.status === 'differs' ? formatDiff(o.diff ?? []) : o.reason ?? '';
  const effects = o.effects?.length ? `  would have: ${o.effects.map((e) => `${e.activity}(${short(e.args[0], 80)})`).join(', ')}` : '';
  const model = o.modelCalls !== undefined ? `  model calls ${o.modelCalls}, tokens ${o.tokens ?? 0}` : '';
  return `${head}${detail ? `  ${detail}` : ''}${effects}${model}`;
}

export function formatSummary(r: ShadowReport): string {
  const s = r.summary;
  return [
    ...r.notes.map((n) => `note: ${n}`),
    `shadowed ${s.shadowed}: equal ${s.equal}, differs ${s.differs}, failed ${s.failed}, not shadowed ${s.notShadowed}${s.notCompared ? `, not compared ${s.notCompared}` : ''}`,
  ].join('\n');
}
