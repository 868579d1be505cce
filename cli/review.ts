// `kta review list | show | approve | edit | reject`: the human in the loop from a terminal, over the
// Temporal client. `list` finds runs by AgentStatus="AwaitingReview"; a decision is the workflow's
// `decision` update, checked here first and then by the workflow's validator.
import { userInfo } from 'node:os';
import { Client, Connection, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { loadConfig } from '../config';
import { InvalidReviewDecisionError, ReviewNotPendingError, WorkflowNotFoundByIdError } from '../errors';
import { checkDecision, decisionUpdate, pendingReviewQuery, type PendingReview } from '../workflows/review-messages';

const QUERY_DEADLINE_MS = 10_000;

async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const connection = await Connection.connect({ address: config.temporal.address });
  try {
    return await fn(new Client({ connection, namespace: config.temporal.namespace }));
  } finally {
    await connection.close();
  }
}

/**
 * Turns Temporal's "not found" for `workflowId` into what it means here: no such run (a mistyped ID,
 * another namespace), or a run that has closed, so it no longer waits for any decision.
 */
async function notFound(client: Client, workflowId: string, err: WorkflowNotFoundError): Promise<Error> {
  try {
    const { status } = await client.workflow.getHandle(workflowId).describe();
    return new ReviewNotPendingError(workflowId, status.name, { cause: err });
  } catch (describeErr) {
    if (!(describeErr instanceof WorkflowNotFoundError)) throw describeErr;
    return new WorkflowNotFoundByIdError(workflowId, client.options.namespace, 'check the ID: `kta review list` shows the runs awaiting a review', { cause: err });
  }
}

/** The user running the command; `cli` where the system has no name for it (some containers). */
export function defaultReviewer(): string {
  try {
    return userInfo().username;
  } catch {
    return 'cli';
  }
}

export async function reviewList(opts: { json?: boolean }): Promise<void> {
  await withClient(async (client) => {
    const found: (PendingReview | { workflowId: string; error: string })[] = [];
    for await (const wf of client.workflow.list({ query: 'AgentStatus = "AwaitingReview" AND ExecutionStatus = "Running"' })) {
      try {
        const pending = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => client.workflow.getHandle(wf.workflowId).query(pendingReviewQuery));
        if (pending) found.push(pending);
      } catch (err) {
        found.push({ workflowId: wf.workflowId, error: `pending review not readable: ${(err as Error).message}` });
      }
    }
    if (opts.json) {
      console.log(JSON.stringify(found));
      return;
    }
    if (found.length === 0) console.log('No run is awaiting a review.');
    for (const r of found) {
      if ('error' in r) console.log(`${r.workflowId}  (${r.error})`);
      else console.log(`${r.workflowId}  ${r.subject}  confidence ${r.confidence} < ${r.threshold}  deadline ${r.deadline} (then ${r.defaultDecision})`);
    }
  });
}

export async function reviewShow(workflowId: string): Promise<void> {
  await withClient(async (client) => {
    let pending: PendingReview | null;
    try {
      pending = await client.workflow.getHandle(workflowId).query(pendingReviewQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw await notFound(client, workflowId, err);
      throw err;
    }
    if (!pending) {
      console.error(`Workflow ${workflowId} is not awaiting a review; \`kta review list\` shows the runs that are`);
      process.exitCode = 1;
      return;
    }
    console.log(JSON.stringify(pending, null, 2));
  });
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
  await withClient(async (client) => {
    try {
      const receipt = await client.workflow.getHandle(workflowId).executeUpdate(decisionUpdate, { args: [decision] });
      console.log(JSON.stringify(receipt));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw await notFound(client, workflowId, err);
      if (!(err instanceof WorkflowUpdateFailedError)) throw err;
      console.error(`The workflow refused the decision: ${(err.cause as Error | undefined)?.message ?? err.message}`);
      process.exitCode = 1;
    }
  });
}
