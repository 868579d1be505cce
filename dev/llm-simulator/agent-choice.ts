// Which script plays the agent for a call, and which run the call belongs to. A test picks the
// script per run, deterministically, even when runs share one simulator:
// 1. a marker in the conversation, `sim-script: NAME [key=N ...]` (the record's text is searched
//    first, then the system prompt), e.g. `sim-script: token-heavy tokens=500`;
// 2. else `agentScripts`, a map from a text (an order ID, a test's unique name) to a script: the
//    one whose text appears first in the record wins;
// 3. else `agentScript`, the simulator's default (start option or POST /simulator/config).
// No script: the call is answered as before agents existed (a content answer).
// The run is `sim-run: ID` when the record carries it, else the record's order ID, else a hash of
// the first user message: the key of the per-run counters.
import { createHash } from 'node:crypto';
import { readTranscript, turnsTaken, userTexts, type TranscriptEntry } from './agent-conversation';
import { readFacts, unescapeQuoted, type AgentFacts } from './agent-facts';
import { AGENT_SCRIPTS, type AgentScriptName } from './agent-scripts';
import { LlmSimulatorRequestError } from './errors';
import type { WireFormatName } from './model-call';

export interface AgentSettings {
  /** The script when the conversation names none; null: no default. */
  readonly script: AgentScriptName | null;
  /** Text found in the record -> script. */
  readonly scriptsByText: Readonly<Record<string, AgentScriptName>>;
}

export const NO_AGENT: AgentSettings = { script: null, scriptsByText: {} };

export interface AgentTurn {
  readonly script: AgentScriptName;
  readonly params: Readonly<Record<string, number>>;
  readonly run: string;
  /** 0 for the run's first model call: the assistant messages already in the conversation. */
  readonly turn: number;
  readonly facts: AgentFacts;
  readonly transcript: readonly TranscriptEntry[];
}

const SCRIPT_MARKER = /sim-script:\s*([a-z][a-z-]*)((?:[ \t]+[a-z]+=\d+)*)/i;
const RUN_MARKER = /sim-run:\s*([\w.:/-]+)/i;

export const isAgentScript = (name: unknown): name is AgentScriptName => (AGENT_SCRIPTS as readonly unknown[]).includes(name);

function fromMarker(texts: readonly string[]): { script: AgentScriptName; params: Record<string, number> } | null {
  for (const text of texts) {
    const m = SCRIPT_MARKER.exec(text);
    if (!m) continue;
    const name = m[1].toLowerCase();
    if (!isAgentScript(name)) {
      throw new LlmSimulatorRequestError(`The conversation asks for the agent script "sim-script: ${name}", which the LLM simulator does not have; use one of ${AGENT_SCRIPTS.join(', ')}.`, { param: 'messages' });
    }
    const params = Object.fromEntries([...m[2].matchAll(/([a-z]+)=(\d+)/gi)].map((p) => [p[1].toLowerCase(), Number(p[2])]));
    return { script: name, params };
  }
  return null;
}

function fromText(recordText: string, byText: AgentSettings['scriptsByText']): AgentScriptName | null {
  let best: { at: number; script: AgentScriptName } | null = null;
  for (const [text, script] of Object.entries(byText)) {
    const at = recordText.indexOf(text);
    if (at !== -1 && (best === null || at < best.at)) best = { at, script };
  }
  return best?.script ?? null;
}

/** The agent turn this call is, or null when no script applies (the call is answered as before). */
export function chooseAgentTurn(wireFormat: WireFormatName, messages: readonly unknown[], settings: AgentSettings): AgentTurn | null {
  const transcript = readTranscript(wireFormat, messages);
  const records = userTexts(transcript).map(unescapeQuoted);
  const systems = transcript.flatMap((e) => (e.role === 'system' ? [unescapeQuoted(e.text)] : []));
  const facts = readFacts(transcript);
  const marked = fromMarker([...records, ...systems]);
  const script = marked?.script ?? fromText(facts.recordText, settings.scriptsByText) ?? settings.script;
  if (script === null) return null;
  const run = RUN_MARKER.exec(facts.recordText)?.[1] ?? facts.orderId ?? `run-${createHash('sha256').update(records[0] ?? '').digest('hex').slice(0, 12)}`;
  return { script, params: marked?.params ?? {}, run, turn: turnsTaken(transcript), facts, transcript };
}
