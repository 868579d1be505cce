// The simulator's ledger: how often the "model" was called, by model, wire format and exact prompt,
// what it answered (status, faults, 429s), how many tokens went through, and a bounded log of what
// it received and answered. Tests read it over HTTP to prove that a replay or a redelivered record
// did not call the model again, and that an injected fault really fired.
import { SERVED_FAULTS, type ServedFault } from './faults';
import type { Answer, WireFormatName } from './model-call';

export interface TokenCounts {
  prompt: number;
  completion: number;
}

export interface PromptStats {
  /** Calls with this prompt, answered or not. */
  calls: number;
  /** Calls answered with 200 (clean, from a fixture, or with a content fault). */
  answers: number;
  /** 429s served, injected or by the rate limiter. */
  rateLimited: number;
  /** Faults served by name; names that never fired for this prompt are left out. */
  faults: Partial<Record<ServedFault, number>>;
  tokens: TokenCounts;
}

export interface Stats {
  /** Model calls received (valid requests on the model routes), whatever was answered. */
  calls: number;
  /** Calls answered with 200. */
  answers: number;
  /** 429s served, injected or by the rate limiter. */
  rateLimited: number;
  callsByModel: Record<string, number>;
  /** Keyed by prompt hash (see `promptHash`). */
  callsByPromptHash: Record<string, number>;
  callsByWireFormat: Record<WireFormatName, number>;
  /** HTTP statuses served to model calls; a call never answered (timeout, client gone) has none. */
  responsesByStatus: Record<string, number>;
  /** Every fault name, with how often it was served. */
  faults: Record<ServedFault, number>;
  /** Tokens of answered calls only. */
  tokens: TokenCounts;
  byPromptHash: Record<string, PromptStats>;
  /** Calls a script played as an agent, per run (see agent-choice.ts for how a run is named). */
  agentRuns: Record<string, AgentRunStats>;
}

export interface AgentRunStats {
  script: string;
  /** Model calls of the run, answered or not. */
  calls: number;
  answers: number;
  /** Calls per turn number (0 = the run's first turn): a turn asked twice shows 2. */
  callsByTurn: Record<string, number>;
  /** Tool calls answered, by tool name (hallucinated names included). */
  toolCalls: Record<string, number>;
  /** Answers that were final texts. */
  finalAnswers: number;
  tokens: TokenCounts;
}

export interface LoggedRequest {
  /** The call's position among all model calls since the last reset; with the seed it decides faults and latency. */
  callNumber: number;
  /** The position in the seeded answer sequence, or null when the content did not come from it (faults, fixtures). */
  answerNumber: number | null;
  wireFormat: WireFormatName;
  /** When the request arrived, ms since the epoch. */
  receivedAtMs: number;
  /** When the answer (or error) was sent; null while pending and for calls never answered. */
  answeredAtMs: number | null;
  /** The simulated latency drawn for the call. */
  latencyMs: number;
  model: string;
  promptHash: string;
  /** The prompt as received; on the Anthropic route a `system` prompt comes first as a `system` message. */
  messages: unknown[];
  /** The JSON schema's name when `response_format` asked for structured output, else null. */
  schemaName: string | null;
  /** The HTTP status sent; null while pending, for a timeout, or when the client left first. */
  status: number | null;
  fault: ServedFault | null;
  /** What the fault did (`content truncated at 40 of 61 characters`), or null. */
  faultDetail: string | null;
  /** True when the answer came from the fixtures. */
  fixture: boolean;
  /** The scripted agent turn this call was (script, run, turn from 0), or null. */
  agent: { script: string; run: string; turn: number } | null;
  /** The text answered, or null (errors, tool calls). */
  content: string | null;
  /** The tool call answered, arguments as JSON text, or null. */
  toolCall: { name: string; arguments: string } | null;
  /** The tokens reported to the client for an answered call, else null. */
  usage: { promptTokens: number; completionTokens: number } | null;
}

// The log keeps the most recent requests only, so a long demo cannot grow the simulator unbounded.
export const REQUEST_LOG_MAX_ENTRIES = 1000;

/** A call between its arrival and its answer; a reset meanwhile makes its answer count nowhere. */
export interface LedgerTicket {
  readonly entry: LoggedRequest;
  readonly epoch: number;
}

const emptyPromptStats = (): PromptStats => ({ calls: 0, answers: 0, rateLimited: 0, faults: {}, tokens: { prompt: 0, completion: 0 } });
const emptyFaults = (): Record<ServedFault, number> => Object.fromEntries(SERVED_FAULTS.map((name) => [name, 0])) as Record<ServedFault, number>;

export class CallLedger {
  private epoch = 0;
  private calls = 0;
  private answers = 0;
  private rateLimited = 0;
  private readonly byModel = new Map<string, number>();
  private readonly byWireFormat: Record<WireFormatName, number> = { openai: 0, anthropic: 0 };
  private readonly byStatus = new Map<number, number>();
  private faults = emptyFaults();
  private readonly byPromptHash = new Map<string, PromptStats>();
  private tokens: TokenCounts = { prompt: 0, completion: 0 };
  private log: LoggedRequest[] = [];
  private agentRuns = new Map<string, AgentRunStats>();

  private agentRun(agent: NonNullable<LoggedRequest['agent']>): AgentRunStats {
    let run = this.agentRuns.get(agent.run);
    if (!run) {
      run = { script: agent.script, calls: 0, answers: 0, callsByTurn: {}, toolCalls: {}, finalAnswers: 0, tokens: { prompt: 0, completion: 0 } };
      this.agentRuns.set(agent.run, run);
    }
    return run;
  }

  private promptStats(hash: string): PromptStats {
    let stats = this.byPromptHash.get(hash);
    if (!stats) {
      stats = emptyPromptStats();
      this.byPromptHash.set(hash, stats);
    }
    return stats;
  }

  /** Counts a call (and the fault it will be served) as it starts; the log shows it as pending. */
  arrive(entry: LoggedRequest): LedgerTicket {
    this.calls += 1;
    this.byModel.set(entry.model, (this.byModel.get(entry.model) ?? 0) + 1);
    this.byWireFormat[entry.wireFormat] += 1;
    const prompt = this.promptStats(entry.promptHash);
    prompt.calls += 1;
    if (entry.fault !== null) {
      this.faults[entry.fault] += 1;
      prompt.faults[entry.fault] = (prompt.faults[entry.fault] ?? 0) + 1;
    }
    if (entry.agent) {
      const run = this.agentRun(entry.agent);
      run.calls += 1;
      run.callsByTurn[entry.agent.turn] = (run.callsByTurn[entry.agent.turn] ?? 0) + 1;
    }
    this.log.push(entry);
    if (this.log.length > REQUEST_LOG_MAX_ENTRIES) this.log = this.log.slice(-REQUEST_LOG_MAX_ENTRIES);
    return { entry, epoch: this.epoch };
  }

  /** Records what a call was answered; called before the reply is written, so a client never sees an answer the ledger lacks. */
  complete(ticket: LedgerTicket, result: { status: number; answer?: Answer; usage?: { promptTokens: number; completionTokens: number } }): void {
    const { entry } = ticket;
    entry.status = result.status;
    entry.answeredAtMs = Date.now();
    if (result.answer?.kind === 'text') entry.content = result.answer.text;
    if (result.answer?.kind === 'tool-call') {
      entry.toolCall = { name: result.answer.toolName, arguments: result.answer.arguments };
      if (result.answer.preamble) entry.content = result.answer.preamble;
    }
    if (result.usage) entry.usage = { ...result.usage };
    if (ticket.epoch !== this.epoch) return;

    const prompt = this.promptStats(entry.promptHash);
    this.byStatus.set(result.status, (this.byStatus.get(result.status) ?? 0) + 1);
    if (result.status === 429) {
      this.rateLimited += 1;
      prompt.rateLimited += 1;
    }
    if (result.status === 200) {
      this.answers += 1;
      prompt.answers += 1;
    }
    if (entry.agent && result.status === 200) {
      const run = this.agentRun(entry.agent);
      run.answers += 1;
      if (result.answer?.kind === 'tool-call') run.toolCalls[result.answer.toolName] = (run.toolCalls[result.answer.toolName] ?? 0) + 1;
      if (result.answer?.kind === 'text') run.finalAnswers += 1;
      if (result.usage) {
        run.tokens.prompt += result.usage.promptTokens;
        run.tokens.completion += result.usage.completionTokens;
      }
    }
    if (result.usage) {
      for (const counts of [this.tokens, prompt.tokens]) {
        counts.prompt += result.usage.promptTokens;
        counts.completion += result.usage.completionTokens;
      }
    }
  }

  /** A copy of the counters; later calls do not change it. */
  stats(): Stats {
    return structuredClone({
      calls: this.calls,
      answers: this.answers,
      rateLimited: this.rateLimited,
      callsByModel: Object.fromEntries(this.byModel),
      callsByPromptHash: Object.fromEntries([...this.byPromptHash].map(([hash, stats]) => [hash, stats.calls])),
      callsByWireFormat: this.byWireFormat,
      responsesByStatus: Object.fromEntries([...this.byStatus].map(([status, count]) => [String(status), count])),
      faults: this.faults,
      tokens: this.tokens,
      byPromptHash: Object.fromEntries(this.byPromptHash),
      agentRuns: Object.fromEntries(this.agentRuns),
    });
  }

  /** The last `limit` requests (all kept ones when omitted), oldest first. */
  requests(limit?: number): LoggedRequest[] {
    const kept = limit === undefined ? this.log : this.log.slice(Math.max(0, this.log.length - limit));
    return structuredClone(kept);
  }

  reset(): void {
    this.epoch += 1;
    this.calls = 0;
    this.answers = 0;
    this.rateLimited = 0;
    this.byModel.clear();
    this.byWireFormat.openai = 0;
    this.byWireFormat.anthropic = 0;
    this.byStatus.clear();
    this.faults = emptyFaults();
    this.byPromptHash.clear();
    this.tokens = { prompt: 0, completion: 0 };
    this.log = [];
    this.agentRuns.clear();
  }
}
