// `kta replay`'s result: one line per history (OK, or the error class and its message on one line)
// and a summary, or one JSON object.

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

export function formatOutcome(o: ReplayOutcome): string {
  const head = `${o.ok ? 'OK  ' : 'FAIL'}  ${o.workflowId}  ${o.workflowType ?? '(unknown type)'}`;
  return o.error ? `${head}  ${o.error.name}: ${o.error.detail}` : head;
}

export function formatSummary(r: ReplayReport): string {
  const lines = [`replayed ${r.summary.replayed}, ok ${r.summary.ok}, failed ${r.summary.failed}`];
  if (r.query?.limitReached) lines.push(`note: the query lists more runs than --limit ${r.query.limit}; raise --limit to replay the rest`);
  if (r.summary.replayed === 0) lines.push(`note: nothing was replayed${r.query ? ` (no run matches ${r.query.text})` : ''}, so nothing was checked`);
  if (r.summary.failed > 0) {
    lines.push('a failed history is a run this code cannot continue: keep the old behaviour for those runs behind patched() (or deploy after they close) instead of changing it in place');
  }
  return lines.join('\n');
}
