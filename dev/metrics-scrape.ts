// Reads a process's /metrics (Prometheus text format) into samples, for the tests and the benches
// that check what an operator's scraper would see. Only the sample lines are read; HELP/TYPE skipped.

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(LABEL)) labels[k] = v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

export async function scrapeMetrics(baseUrl: string): Promise<Sample[]> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (!res.ok) throw new Error(`${baseUrl}/metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}

/** The samples of one metric, optionally only those whose labels include `where`. */
export const samplesOf = (samples: readonly Sample[], name: string, where: Record<string, string> = {}): Sample[] =>
  samples.filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v));

export const sumOf = (samples: readonly Sample[], name: string, where: Record<string, string> = {}): number =>
  samplesOf(samples, name, where).reduce((total, s) => total + s.value, 0);

/** The sample lines of these metrics, as a scraper shows them (for reports). */
export const sampleLines = (samples: readonly Sample[], names: readonly string[]): string[] =>
  samples
    .filter((s) => names.includes(s.name))
    .map((s) => `${s.name}${Object.keys(s.labels).length ? `{${Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',')}}` : ''} ${s.value}`);

/** GETs /readyz: its status and its one-line reason. */
export async function readiness(baseUrl: string): Promise<{ ready: boolean; status: number; reason: string }> {
  const res = await fetch(`${baseUrl}/readyz`);
  return { ready: res.status === 200, status: res.status, reason: await res.text() };
}
