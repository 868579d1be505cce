// The failure type names that cross the worker/workflow boundary (ApplicationFailure.type). Errors
// are classes on the activity side, but a workflow only sees the type string, so the names live here
// once: a rename that misses one side would silently change how a failure is routed.

export const FailureType = {
  ModelOutputInvalid: 'ModelOutputInvalidError',
  InvalidToolArguments: 'InvalidToolArgumentsError',
  LlmTransient: 'LlmTransientError',
  LlmPermanent: 'LlmPermanentError',
  TokenBudget: 'TokenBudgetError',
  InvalidReviewDecision: 'InvalidReviewDecisionError',
  /** A sink refused a value for good (a NUL in an ID): no re-drive can store it, a human decides. */
  SinkData: 'SinkDataError',
  /** A tool's service refused the call (unknown order, refund over the balance): the model reads why. */
  ToolRefused: 'ToolRefusedError',
  /** Thrown by a workflow that stops for a human to look at the run. */
  NeedsReview: 'NeedsReview',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** A failure of these types ends the run in HUMAN_REVIEW (a person must look), not REPROCESS. */
export const HUMAN_REVIEW_FAILURE_TYPES: ReadonlySet<string> = new Set<string>([
  FailureType.NeedsReview,
  FailureType.InvalidToolArguments,
  FailureType.ModelOutputInvalid,
  FailureType.InvalidReviewDecision,
  FailureType.SinkData,
]);

/** Model failures the gateway never retries: another attempt would give the same answer. */
export const NON_RETRYABLE_MODEL_FAILURES: ReadonlySet<string> = new Set<string>([
  FailureType.ModelOutputInvalid,
  FailureType.InvalidToolArguments,
  FailureType.LlmPermanent,
  FailureType.TokenBudget,
]);
