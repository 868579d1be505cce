// The text form of the shadow's report: one line per record (its diff, the effects the stubs absorbed,
// its model calls), then the notes and the summary.
import type { JsonDifference } from '../ops/shadow/json-diff';
import type { ShadowOutcome, ShadowReport } from '../ops/shadow/report';

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
