// The human in the loop (`kta review list | show | approve | edit | reject`), over the Temporal client.
// `list` finds runs by AgentStatus="AwaitingReview"; a decision is the workflow's
// `decision` update, checked here first and then by the workflow's validator.
import { userInfo } from 'node:os';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ReviewNotPendingError, WorkflowNotFoundByIdError } from '../errors';
import { decisionUpdate, pendingReviewQuery, type DecisionReceipt, type PendingReview, type ReviewDecision } from '../workflows/review-messages';

const QUERY_DEADLINE_MS = 10_000;

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

export type ListedReview = PendingReview | { readonly workflowId: string; readonly error: string };

/** The runs awaiting a review with their pending review; one whose review cannot be read says why. */
export async function listPendingReviews(client: Client): Promise<ListedReview[]> {
  const found: ListedReview[] = [];
  for await (const wf of client.workflow.list({ query: 'AgentStatus = "AwaitingReview" AND ExecutionStatus = "Running"' })) {
    try {
      const pending = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => client.workflow.getHandle(wf.workflowId).query(pendingReviewQuery));
      if (pending) found.push(pending);
    } catch (err) {
      found.push({ workflowId: wf.workflowId, error: `pending review not readable: ${(err as Error).message}` });
    }
  }
  return found;
}

/** The pending review of one run; null when it awaits none. Rejects when there is no such run, or it closed. */
export async function pendingReview(client: Client, workflowId: string): Promise<PendingReview | null> {
  try {
    return await client.workflow.getHandle(workflowId).query(pendingReviewQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw await notFound(client, workflowId, err);
    throw err;
  }
}

/** Sends a checked decision: the workflow's receipt, or why its validator refused the decision. */
export async function decideReview(client: Client, workflowId: string, decision: ReviewDecision): Promise<{ receipt: DecisionReceipt } | { refused: string }> {
  try {
    return { receipt: await client.workflow.getHandle(workflowId).executeUpdate(decisionUpdate, { args: [decision] }) };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw await notFound(client, workflowId, err);
    if (!(err instanceof WorkflowUpdateFailedError)) throw err;
    return { refused: (err.cause as Error | undefined)?.message ?? err.message };
  }
}
