// The replay's result: one outcome per history (OK, or the error class and its message cut to one
// line) and a summary. Its text form is cli/replay-format.ts.

export interface ReplayOutcome {
  readonly workflowId: string;
  readonly runId?: string;
  readonly workflowType?: string;
  /** `temporal` or the file the history came from. */
  readonly source: string;
  readonly ok: boolean;
  /** `detail` is the SDK's message cut to the one line that says what did not match. */
  readonly error?: { readonly name: string; readonly message: string; readonly detail: string };
  /** Where `--save` wrote the history. */
  readonly savedTo?: string;
}

export interface ReplayReport {
  readonly ok: boolean;
  /** The workflow code the histories ran through. */
  readonly workflows: string;
  /** The visibility query, how many runs it gave, and whether it listed more than --limit (the rest were not replayed). */
  readonly query?: { readonly text: string; readonly runs: number; readonly limit: number; readonly limitReached: boolean };
  readonly summary: { readonly replayed: number; readonly ok: number; readonly failed: number };
  readonly histories: ReplayOutcome[];
}

const DETAIL_MAX_CHARS = 300;

/**
 * The SDK's replay errors wrap core's failure in a debug dump ("... Failure { message: \"[TMPRL1100]
 * Nondeterminism error: ...\", source: ..."); the quoted message is the part a reader needs.
 */
export function oneLineDetail(message: string): string {
  const inner = /message: "((?:[^"\\]|\\.)*)"/.exec(message)?.[1]?.replace(/\\(["\\])/g, '$1');
  const text = (inner ?? message).replace(/\s+/g, ' ').trim();
  return text.length > DETAIL_MAX_CHARS ? `${text.slice(0, DETAIL_MAX_CHARS - 1)}…` : text;
}
