// `kta review list | show | approve | edit | reject`: prints the human in the loop (ops/review.ts) for
// a terminal. A decision is checked here first, then by the workflow's validator.
import { userInfo } from 'node:os';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../config';
import { InvalidReviewDecisionError } from '../errors';
import { withTemporalClient } from '../lib/temporal-client';
import { decideReview, listPendingReviews, pendingReview } from '../ops/review';
import { checkDecision } from '../workflows/review-messages';

const withClient = <T>(fn: (client: Client) => Promise<T>): Promise<T> => withTemporalClient(loadConfig(), fn);

/** The user running the command; `cli` where the system has no name for it (some containers). */
export function defaultReviewer(): string {
  try {
    return userInfo().username;
  } catch {
    return 'cli';
  }
}

export async function reviewList(opts: { json?: boolean }): Promise<void> {
  const found = await withClient(listPendingReviews);
  if (opts.json) {
    console.log(JSON.stringify(found));
    return;
  }
  if (found.length === 0) console.log('No run is awaiting a review.');
  for (const r of found) {
    if ('error' in r) console.log(`${r.workflowId}  (${r.error})`);
    else console.log(`${r.workflowId}  ${r.subject}  confidence ${r.confidence} < ${r.threshold}  deadline ${r.deadline} (then ${r.defaultDecision})`);
  }
}

export async function reviewShow(workflowId: string): Promise<void> {
  const pending = await withClient((client) => pendingReview(client, workflowId));
  if (!pending) {
    console.error(`Workflow ${workflowId} is not awaiting a review; \`kta review list\` shows the runs that are`);
    process.exitCode = 1;
    return;
  }
  console.log(JSON.stringify(pending, null, 2));
}

export async function reviewDecide(workflowId: string, raw: Record<string, unknown>): Promise<void> {
  let decision;
  try {
    decision = checkDecision(workflowId, Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  } catch (err) {
    if (!(err instanceof InvalidReviewDecisionError)) throw err;
    console.error(err.message);
    process.exitCode = 1;
    return;
  }
  const outcome = await withClient((client) => decideReview(client, workflowId, decision));
  if ('receipt' in outcome) {
    console.log(JSON.stringify(outcome.receipt));
    return;
  }
  console.error(`The workflow refused the decision: ${outcome.refused}`);
  process.exitCode = 1;
}
