// `kta reprocess`: prints reprocessing (ops/reprocess/reprocess.ts) one line per dead letter as it is
// decided, then the counts as one JSON line.
import { loadConfig } from '../config';
import { runReprocess, type ReprocessOptions } from '../ops/reprocess/reprocess';
import type { RedriveAction } from '../ops/reprocess/report';

function actionLine(a: RedriveAction, dryRun: boolean): string {
  const of = a.original ? ` (${a.original})` : '';
  switch (a.kind) {
    case 'skip': return `skip ${a.letter}${of}: ${a.reason}`;
    case 'same-failure': return `already re-driven ${a.workflowId} from dead letter ${a.letter}${of}: dead letter ${a.firstLetter} is the same failure`;
    case 'already-redriven': return `already re-driven ${a.workflowId} from dead letter ${a.letter}${of} (${a.deadLetterClass}); nothing started`;
    case 'start': return `${dryRun ? 'would start' : 'started'} ${a.workflowId} from dead letter ${a.letter}${of} (${a.deadLetterClass})`;
  }
}

export async function reprocessCommand(opts: ReprocessOptions): Promise<void> {
  const dryRun = opts.dryRun === true;
  const { started, deadLetters, alreadyRedriven, skipped } = await runReprocess(loadConfig(), opts, (a) => console.log(actionLine(a, dryRun)));
  console.log(JSON.stringify({ dryRun, deadLetters, alreadyRedriven, skipped, [dryRun ? 'wouldStart' : 'started']: started }));
}
