// The human-review messages, defined once: the workflow registers them, the CLI (`kta review`) and
// the Temporal CLI/UI send them. The update's name, `decision`, is what
// `temporal workflow update execute --name decision` uses; never rename it.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { InvalidReviewDecisionError } from '../errors';

export type ReviewDecision =
  | { readonly action: 'approve'; readonly reviewer: string; readonly note?: string }
  | { readonly action: 'edit'; readonly reviewer: string; readonly answer: string; readonly note?: string }
  | { readonly action: 'reject'; readonly reviewer: string; readonly reason?: string };

export type ReviewAction = ReviewDecision['action'];

export interface DecisionReceipt {
  readonly workflowId: string;
  readonly action: ReviewAction;
  readonly reviewer: string;
  readonly decidedAt: string;
}

export interface PendingReview {
  readonly workflowId: string;
  /** What is being reviewed: `support ticket T-17`. */
  readonly subject: string;
  readonly question: string;
  readonly draft: string;
  readonly confidence: number;
  readonly threshold: number;
  readonly deadline: string;
  readonly defaultDecision: 'approve' | 'reject';
}

export const decisionUpdate = defineUpdate<DecisionReceipt, [ReviewDecision]>('decision');
export const pendingReviewQuery = defineQuery<PendingReview | null>('pendingReview');

const ACTIONS: readonly ReviewAction[] = ['approve', 'edit', 'reject'];
const FIELDS: Record<ReviewAction, readonly string[]> = {
  approve: ['action', 'reviewer', 'note'],
  edit: ['action', 'reviewer', 'answer', 'note'],
  reject: ['action', 'reviewer', 'reason'],
};
const MAX_TEXT = 4_000;

/**
 * Checks a decision's shape; throws InvalidReviewDecisionError naming what is wrong. Used by the
 * update's validator (a refused decision never enters history) and by `kta review` before sending.
 */
export function checkDecision(workflowId: string, raw: unknown): ReviewDecision {
  const fail = (problem: string): never => {
    throw new InvalidReviewDecisionError(workflowId, problem);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`the decision must be a JSON object, got ${JSON.stringify(raw)}`);
  const d = raw as Record<string, unknown>;
  if (!ACTIONS.includes(d.action as ReviewAction)) return fail(`"action" must be one of ${ACTIONS.join(', ')} (got ${JSON.stringify(d.action)})`);
  const action = d.action as ReviewAction;
  if (typeof d.reviewer !== 'string' || !d.reviewer.trim() || d.reviewer.length > 200) return fail('"reviewer" must name who decides (1 to 200 characters)');
  const unknown = Object.keys(d).filter((k) => !FIELDS[action].includes(k));
  if (unknown.length) return fail(`${action} takes ${FIELDS[action].join(', ')}; unknown field(s) ${unknown.join(', ')}`);
  for (const field of ['note', 'reason', 'answer']) {
    if (d[field] !== undefined && (typeof d[field] !== 'string' || (d[field] as string).length > MAX_TEXT)) return fail(`"${field}" must be a string of at most ${MAX_TEXT} characters`);
  }
  if (action === 'edit' && (typeof d.answer !== 'string' || !d.answer.trim())) return fail('edit needs the corrected "answer"');
  return d as ReviewDecision;
}
