// Serves one model call, whatever its wire format: reads the fault and latency headers, numbers
// the call, asks the rate limiter, decides the fault, composes the answer (clean, from a fixture,
// or broken), waits the latency and records everything in the ledger before the reply goes out.
import type { IncomingHttpHeaders } from 'node:http';
import { agentAnswer } from './agent-answer';
import type { AgentTurn } from './agent-choice';
import { composePlannedAnswer } from './compose-answer';
import { faultAnswer, faultApplies, isContentFault } from './fault-answer';
import { decideFault, faultSettingsFor, RATE_LIMITER, type FaultSettings } from './faults';
import { fixtureAsAnswer } from './fixtures';
import { drawLatency, latencySpecFor, waitLatency, waitUntilAborted } from './latency';
import type { Answer, ModelCall } from './model-call';
import type { Admission } from './rate-limiter';
import { rateLimitHeaders, retryAfterHeaders } from './rate-limit-headers';
import type { SimulatorState } from './simulator-state';
import type { LoggedRequest } from './stats';
import { estimateTextTokens } from './token-estimate';
import type { SimulatedError } from './wire-errors';

export type CallOutcome =
  | { kind: 'answer'; answer: Answer; promptTokens: number; completionTokens: number; headers: Record<string, string> }
  | { kind: 'error'; error: SimulatedError };

export function answerTokens(answer: Answer): number {
  return answer.kind === 'text' ? estimateTextTokens(answer.text) : estimateTextTokens((answer.preamble ?? '') + answer.toolName + answer.arguments);
}

function limiterError(call: ModelCall, refusal: Extract<Admission, { admitted: false }>, headers: Record<string, string>): SimulatedError {
  const { limit } = refusal.snapshot;
  const message = refusal.retryAfterMs === null
    ? `LLM simulator rate limit: this request needs ${refusal.costTokens} tokens, more than the ${limit.tokensPerWindow} allowed per ${limit.windowMs} ms window; it can never pass. Send a shorter prompt or raise rateLimit.tokensPerWindow.`
    : `LLM simulator rate limit reached for ${call.model}: ${refusal.exceeded === 'requests' ? `${limit.requestsPerWindow} requests` : `${limit.tokensPerWindow} tokens`} per ${limit.windowMs} ms; retry after ${refusal.retryAfterMs} ms.`;
  return {
    status: 429,
    message,
    headers: { ...headers, ...(refusal.retryAfterMs === null ? {} : retryAfterHeaders(refusal.retryAfterMs)) },
    openai: { type: refusal.exceeded, param: null, code: 'rate_limit_exceeded' },
  };
}

function injectedRateLimit(call: ModelCall, settings: FaultSettings, headers: Record<string, string>): SimulatedError {
  const after = settings.retryAfterS === null ? 'no Retry-After given' : `retry after ${settings.retryAfterS} s`;
  return {
    status: 429,
    message: `LLM simulator: injected rate-limit fault for ${call.model}; ${after}.`,
    headers: { ...headers, ...(settings.retryAfterS === null ? {} : retryAfterHeaders(settings.retryAfterS * 1000)) },
    openai: { type: 'requests', param: null, code: 'rate_limit_exceeded' },
  };
}

function injectedServerError(status: number, headers: Record<string, string>): SimulatedError {
  return {
    status,
    message: `LLM simulator: injected server-error fault (HTTP ${status}); the request may be retried.`,
    headers,
    openai: { type: 'server_error', param: null, code: null },
  };
}

/** `agent`: the scripted agent turn this call is (agent-turn-for.ts), or null for a plain call. */
export async function serveCall(call: ModelCall, headers: IncomingHttpHeaders, receivedAtMs: number, state: SimulatorState, signal: AbortSignal, agent: AgentTurn | null = null): Promise<CallOutcome> {
  // Header mistakes are the request's: refused before the call takes a number, so they shift nothing.
  const settings = faultSettingsFor(headers, state.settings.faults);
  const latencySpec = latencySpecFor(headers, state.settings.latency);

  // Everything from here to the first wait runs in one turn of the event loop, so concurrent
  // calls cannot both take the last fault under a limit or the last place in the rate window.
  const { callNumber, rng: faultRng } = state.takeCall();
  // Fixed draw order on the fault stream: fault, latency, then whatever the fault itself needs.
  const fault = decideFault(settings, (name) => faultApplies(name, call.plan), state.limitedFaultsServed, faultRng);
  const latencyMs = drawLatency(latencySpec, faultRng);

  const entry = (fields: Partial<LoggedRequest>): LoggedRequest => ({
    callNumber,
    answerNumber: null,
    wireFormat: call.wireFormat,
    receivedAtMs,
    answeredAtMs: null,
    latencyMs,
    model: call.model,
    promptHash: call.promptHash,
    messages: call.messages,
    schemaName: call.schemaName,
    status: null,
    fault,
    faultDetail: null,
    fixture: false,
    agent: agent ? { script: agent.script, run: agent.run, turn: agent.turn } : null,
    content: null,
    toolCall: null,
    usage: null,
    ...fields,
  });

  // The quota sits in front of the model: a refused call never reaches it, whatever fault was drawn.
  const nowMs = Date.now();
  const admission = state.limiter?.admit(call.promptTokens, nowMs);
  const limitHeaders = admission ? rateLimitHeaders(call.wireFormat, admission.snapshot, nowMs) : {};
  if (admission && !admission.admitted) {
    const error = limiterError(call, admission, limitHeaders);
    const ticket = state.ledger.arrive(entry({ fault: RATE_LIMITER, faultDetail: `${admission.exceeded} per window exceeded`, latencyMs: 0 }));
    state.ledger.complete(ticket, { status: error.status });
    return { kind: 'error', error };
  }
  if (fault !== null && settings.faultLimit > 0) state.countLimitedFault();

  if (fault === 'rate-limit') {
    // Providers refuse over quota at once; no latency.
    const ticket = state.ledger.arrive(entry({ faultDetail: settings.retryAfterS === null ? 'no Retry-After' : `Retry-After ${settings.retryAfterS} s`, latencyMs: 0 }));
    state.ledger.complete(ticket, { status: 429 });
    return { kind: 'error', error: injectedRateLimit(call, settings, limitHeaders) };
  }
  if (fault === 'server-error') {
    const status = faultRng.pick(settings.serverErrorStatuses);
    const ticket = state.ledger.arrive(entry({ faultDetail: `HTTP ${status}` }));
    await waitLatency(latencyMs, signal);
    state.ledger.complete(ticket, { status });
    return { kind: 'error', error: injectedServerError(status, limitHeaders) };
  }
  if (fault === 'timeout') {
    state.ledger.arrive(entry({ faultDetail: 'accepted, never answered' }));
    return waitUntilAborted(signal);
  }

  if (agent && agent.params.failat === agent.turn) {
    // The script's `failat=N`: the provider refuses turn N for good (a 400, as for a context too long),
    // so a test can fail a run after its tools acted and watch the undos run.
    const ticket = state.ledger.arrive(entry({ faultDetail: `agent script ${agent.script} failat=${agent.turn}: refused with 400` }));
    await waitLatency(latencyMs, signal);
    state.ledger.complete(ticket, { status: 400 });
    if (admission?.admitted) state.limiter?.release(admission.entry);
    return {
      kind: 'error',
      error: { status: 400, message: `LLM simulator: the agent script ${agent.script} refuses turn ${agent.turn} (failat=${agent.turn}); this request cannot succeed.`, headers: limitHeaders, openai: { type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } },
    };
  }

  let answer: Answer;
  const fields: Partial<LoggedRequest> = {};
  try {
    if (fault !== null && isContentFault(fault)) {
      const broken = faultAnswer(fault, call.plan, faultRng);
      answer = broken.answer;
      fields.faultDetail = broken.detail;
    } else {
      const fixture = state.fixtures.next(call.promptHash);
      if (fixture !== undefined) {
        answer = fixtureAsAnswer(fixture, call.plan);
        fields.fixture = true;
      } else if (agent) {
        // Scripted from the conversation alone; no answer number, so other answers never shift.
        answer = agentAnswer(agent, call.plan, state.seed);
      } else {
        // Composed before the latency, in arrival order, so concurrent calls keep their answers.
        const { answerNumber, rng } = state.takeAnswer();
        answer = composePlannedAnswer(call.plan, rng);
        fields.answerNumber = answerNumber;
      }
    }
  } catch (error) {
    // An impossible schema is a 400, not a model call: it gives its place in the window back.
    if (admission?.admitted) state.limiter?.release(admission.entry);
    throw error;
  }
  answer = call.deliverable?.(answer) ?? answer;

  const completionTokens = answerTokens(answer);
  if (admission?.admitted) state.limiter?.addTokens(admission.entry, completionTokens);
  const ticket = state.ledger.arrive(entry(fields));
  await waitLatency(latencyMs, signal);
  state.ledger.complete(ticket, { status: 200, answer, usage: { promptTokens: call.promptTokens, completionTokens } });
  if (fault === null) state.recorder?.add(call.promptHash, answer);
  return { kind: 'answer', answer, promptTokens: call.promptTokens, completionTokens, headers: limitHeaders };
}
