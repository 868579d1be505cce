// `kta shadow`: prints the shadow (ops/shadow/shadow.ts), one line per record as it closes and a
// summary, or one JSON object.
// Exit code 0: every shadow run completed (differences are data); 1: some failed; 2: could not run.
import { loadConfig } from '../config';
import { runShadow, type ShadowOptions, type ShadowProgress } from '../ops/shadow/shadow';
import type { ShadowReport } from '../ops/shadow/report';
import { exitSoon } from './replay';
import { formatOutcome, formatSummary } from './shadow-format';

const printProgress: ShadowProgress = {
  started: (r) => console.log(`kta shadow ${r.name}: ${r.topic}[${r.partition}] offsets ${r.from}..${r.to} through the workflow ${r.workflows} on task queue ${r.taskQueue}`),
  outcome: (o) => console.log(formatOutcome(o)),
};

export async function shadowCommand(opts: ShadowOptions & { readonly json?: boolean }): Promise<void> {
  let report: ShadowReport;
  try {
    report = await runShadow(loadConfig(), opts, opts.json ? {} : printProgress);
  } catch (err) {
    console.error(`kta shadow could not run: ${(err as Error).message}`);
    exitSoon(2);
    return;
  }
  console.log(opts.json ? JSON.stringify(report) : formatSummary(report));
  exitSoon(report.ok ? 0 : 1);
}
