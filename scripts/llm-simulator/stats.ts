// The simulator's ledger: how often the "model" was called, by model and by exact prompt, how many
// tokens went through, and a bounded log of what it received and answered. Tests read it over HTTP
// to prove that a replay or a redelivered record did not call the model again.

export interface Stats {
  calls: number;
  callsByModel: Record<string, number>;
  /** Keyed by `promptHash(messages)`: the SHA-256 hex of the messages as JSON. */
  callsByPromptHash: Record<string, number>;
  tokens: { prompt: number; completion: number };
}

export interface LoggedRequest {
  timestampMs: number;
  /** The call's position since the last reset; with the seed it decides the answer. */
  callNumber: number;
  model: string;
  promptHash: string;
  /** The messages exactly as received. */
  messages: unknown[];
  /** The JSON schema's name when structured output was asked for, else null. */
  schemaName: string | null;
  /** The assistant message's content as answered. */
  content: string;
}

// The log keeps the most recent requests only, so a long demo cannot grow the simulator unbounded.
export const REQUEST_LOG_MAX_ENTRIES = 1000;

export class CallLedger {
  private calls = 0;
  private readonly byModel = new Map<string, number>();
  private readonly byPromptHash = new Map<string, number>();
  private promptTokens = 0;
  private completionTokens = 0;
  private log: LoggedRequest[] = [];

  record(entry: LoggedRequest, usage: { promptTokens: number; completionTokens: number }): void {
    this.calls += 1;
    this.byModel.set(entry.model, (this.byModel.get(entry.model) ?? 0) + 1);
    this.byPromptHash.set(entry.promptHash, (this.byPromptHash.get(entry.promptHash) ?? 0) + 1);
    this.promptTokens += usage.promptTokens;
    this.completionTokens += usage.completionTokens;
    this.log.push(entry);
    if (this.log.length > REQUEST_LOG_MAX_ENTRIES) this.log = this.log.slice(-REQUEST_LOG_MAX_ENTRIES);
  }

  /** A copy of the counters; later calls do not change it. */
  stats(): Stats {
    return {
      calls: this.calls,
      callsByModel: Object.fromEntries(this.byModel),
      callsByPromptHash: Object.fromEntries(this.byPromptHash),
      tokens: { prompt: this.promptTokens, completion: this.completionTokens },
    };
  }

  /** The last `limit` requests (all kept ones when omitted), oldest first. */
  requests(limit?: number): LoggedRequest[] {
    const kept = limit === undefined ? this.log : this.log.slice(Math.max(0, this.log.length - limit));
    return structuredClone(kept);
  }

  reset(): void {
    this.calls = 0;
    this.byModel.clear();
    this.byPromptHash.clear();
    this.promptTokens = 0;
    this.completionTokens = 0;
    this.log = [];
  }
}
