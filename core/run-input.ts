// Where a run's input came from. Every agent workflow receives it, so summaries, dead letters and
// effects can name the original record.

export interface RecordSource {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit; kept as a decimal string. */
  readonly offset: string;
  readonly key: string | null;
  readonly timestamp: string;
  /** sha256 of the record's key and value, also in the run's memo (duplicate verification). */
  readonly recordHash: string;
}

/** Settings a route hands to each run (workflows never read the environment). */
export interface RunSettings {
  readonly modelTimeoutMs: number;
  readonly effectTimeoutMs: number;
  readonly maxModelAttempts: number;
  readonly transientRetryAttempts: number;
  readonly modelOutput: 'json' | 'tool';
  /** Optional model triage of a failed run's dead-letter class (hard timeout); off when absent. */
  readonly triageTimeoutMs?: number;
  readonly effectRetryAttempts: number;
  readonly review: ReviewSettings;
  readonly outputTopic?: string;
  /** Tool-using agents: budgets and limits of the agent loop (route `workflow.agent`), over the agent's defaults. */
  readonly agent?: AgentLoopSettings;
}

/** A tool-using agent's run: its budgets and its policies' limits. Unset fields take the agent's defaults. */
export interface AgentLoopSettings {
  /** Model calls per run (re-asks included). */
  readonly maxTurns?: number;
  /** Prompt plus completion tokens per run, as the provider reported them. */
  readonly maxTokens?: number;
  /** Estimated cost per run in USD, at LLM_PRICE_*. */
  readonly maxCostUsd?: number;
  /** Continue as new after this many turns in one run (the conversation rides along). */
  readonly turnsPerRun?: number;
  /** Numbers the tools' policies read by name (`refundLimitCents`). */
  readonly limits?: Readonly<Record<string, number>>;
}

/** When an answer waits for a human, for how long, and what happens when nobody decides. */
export interface ReviewSettings {
  /** Answers whose confidence is below this wait for a human decision. */
  readonly confidenceThreshold: number;
  readonly deadlineMs: number;
  /** The decision taken when the deadline passes. */
  readonly defaultDecision: 'approve' | 'reject';
}

export interface AgentInput<T> {
  readonly value: T;
  readonly source: RecordSource;
  readonly settings: RunSettings;
  /** Where the run publishes its dead letter if it fails for good (the route's dead-letter topic). */
  readonly deadLetterTopic?: string;
  /** Set on runs re-driven by `kta reprocess`: the retry number. */
  readonly retry?: number;
}
