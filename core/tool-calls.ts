// The shapes of a tool-calling conversation, shared by the gateway (which speaks them to both
// providers' wire formats) and the agent loop (which keeps them in workflow state). Types only.

/** One tool call the model asked for. `arguments` is the JSON text the model wrote, unchecked. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** A tool as the model sees it: its name, what it does and the JSON schema of its arguments. */
export interface ToolDeclaration {
  readonly name: string;
  readonly description: string;
  readonly parameters: Record<string, unknown>;
}

/** One model turn of an agent: its text and the tool calls it asked for (none: its final answer). */
export interface AgentTurnAnswer {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
}
