// The human review wait: a run shows AgentStatus=AwaitingReview, answers the pendingReview query and
// takes one decision through the `decision` update (validated: a malformed decision is refused and
// the run keeps waiting). When the deadline passes first, the configured default decision is taken,
// with reviewer `deadline`. The decision and who made it are in history (the update, the memo).
import { condition, setCurrentDetails, setHandler, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { InvalidReviewDecisionError } from '../errors';
import type { ReviewSettings } from '../core/run-input';
import { checkDecision, decisionUpdate, pendingReviewQuery, type PendingReview, type ReviewDecision } from './review-messages';
import { AGENT_STATUS, AgentStatus } from './search-attributes';

export interface ReviewOutcome {
  readonly decision: ReviewDecision;
  readonly decidedBy: 'human' | 'deadline';
  readonly decidedAt: string;
}

/** The reviewer recorded when nobody decided before the deadline. */
export const DEADLINE_REVIEWER = 'deadline';

/**
 * Registers the review handlers; call it first thing in the workflow, so a decision sent at any time
 * gets a clear answer ("no review is pending") instead of "unknown update".
 */
export function reviewGate() {
  const { workflowId } = workflowInfo();
  let pending: PendingReview | null = null;
  let decision: { value: ReviewDecision; at: string } | undefined;

  setHandler(pendingReviewQuery, () => pending);
  setHandler(
    decisionUpdate,
    (d) => {
      const decidedAt = new Date().toISOString();
      decision = { value: d, at: decidedAt };
      return { workflowId, action: d.action, reviewer: d.reviewer, decidedAt };
    },
    {
      validator: (d) => {
        if (!pending) throw new InvalidReviewDecisionError(workflowId, 'the run is not awaiting a review (not yet, or already decided)');
        if (decision) throw new InvalidReviewDecisionError(workflowId, `it was already decided (${decision.value.action} by ${decision.value.reviewer})`);
        checkDecision(workflowId, d);
      },
    },
  );

  return {
    /**
     * Waits for one decision. `why` replaces the confidence sentence in the run's details (a tool call
     * held by its policy). A run may wait several times, one review at a time.
     */
    async wait(review: { subject: string; question: string; draft: string; confidence: number; why?: string }, settings: ReviewSettings): Promise<ReviewOutcome> {
      const { why, ...shown } = review;
      const deadline = new Date(Date.now() + settings.deadlineMs).toISOString();
      pending = { workflowId, ...shown, threshold: settings.confidenceThreshold, deadline, defaultDecision: settings.defaultDecision };
      upsertSearchAttributes([{ key: AGENT_STATUS, value: AgentStatus.AwaitingReview }]);
      setCurrentDetails(
        `Awaiting a human review of ${review.subject}: ${why ?? `confidence ${review.confidence} is below ${settings.confidenceThreshold}`}. ` +
          `Decide with \`kta review approve|edit|reject ${workflowId}\` before ${deadline}; then the default is to ${settings.defaultDecision}`,
      );
      const decided = await condition(() => decision !== undefined, settings.deadlineMs);
      // From here on the validator refuses late decisions: the review is closed.
      pending = null;
      const outcome: ReviewOutcome = decided && decision
        ? { decision: decision.value, decidedBy: 'human', decidedAt: decision.at }
        : { decision: { action: settings.defaultDecision, reviewer: DEADLINE_REVIEWER }, decidedBy: 'deadline', decidedAt: new Date().toISOString() };
      // The next review of this run (another held tool call) starts undecided.
      decision = undefined;
      upsertMemo({ review: { ...outcome.decision, decidedBy: outcome.decidedBy, decidedAt: outcome.decidedAt } });
      upsertSearchAttributes([{ key: AGENT_STATUS, value: AgentStatus.Running }]);
      return outcome;
    },
  };
}
