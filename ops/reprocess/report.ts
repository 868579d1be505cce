// What reprocessing reports: per dead letter the decision taken (started, or in a dry run would start;
// already re-driven; skipped with its reason), and the counts.

interface LetterAt {
  /** The dead letter's own coordinates in its topic, `dlq[p]@o`. */
  readonly letter: string;
  /** The original record's coordinates, `topic[p]@o`, when the letter names it. */
  readonly original?: string;
}

export type RedriveAction = LetterAt & (
  | { readonly kind: 'skip'; readonly reason: string }
  /** Started (a dry run: would start) as `workflowId`. */
  | { readonly kind: 'start'; readonly workflowId: string; readonly deadLetterClass: string }
  /** A run with the re-drive's ID exists already: nothing started. */
  | { readonly kind: 'already-redriven'; readonly workflowId: string; readonly deadLetterClass: string }
  /** Another copy of a dead letter handled earlier in this run (`firstLetter`): the same failure. */
  | { readonly kind: 'same-failure'; readonly workflowId: string; readonly firstLetter: string }
);

export interface ReprocessReport {
  readonly dryRun: boolean;
  /** Dead letters the filter kept. */
  readonly deadLetters: number;
  /** Runs started (a dry run: that would start). */
  readonly started: number;
  readonly alreadyRedriven: number;
  readonly skipped: number;
  readonly actions: RedriveAction[];
}
