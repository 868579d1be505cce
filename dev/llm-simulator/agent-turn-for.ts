// Whether a call is an agent's turn a script plays: tools are offered, the model is free to choose
// (no tool forced, as `tool_choice` `auto`; forced tools keep the single-tool answers of structured
// output), and a script is chosen (agent-choice.ts). Decided before the call takes a number, so an
// unknown script in a marker is a 400 that shifts nothing.
import { chooseAgentTurn, type AgentTurn } from './agent-choice';
import type { ToolSpec, WireFormatName } from './model-call';
import type { SimulatorState } from './simulator-state';

export function agentTurnFor(
  wireFormat: WireFormatName,
  messages: readonly unknown[],
  tools: readonly ToolSpec[],
  forcedTools: readonly ToolSpec[],
  toolChoiceNone: boolean,
  state: SimulatorState,
): AgentTurn | null {
  if (tools.length === 0 || forcedTools.length > 0 || toolChoiceNone) return null;
  return chooseAgentTurn(wireFormat, messages, state.settings.agent);
}
