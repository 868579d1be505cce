// The files of a new agent folder, by path inside it: a working agent (one model call with a zod
// schema, one idempotent upsert by key), its table, shadow decisions, an end-to-end test on the real
// stack and a replay test. With `tools`: a tool-using agent instead (the agent loop, a read tool, a
// reversible tool with its undo, a guard policy, a budget) and its end-to-end tests.
import { agentCodeFiles } from './code-files';
import type { AgentNames } from './names';
import { agentSchemaFiles } from './schema-files';
import { agentTestFiles } from './test-files';
import { agentToolCodeFiles } from './tools-code-files';
import { agentToolSchemaFiles } from './tools-schema-files';
import { agentToolTestFiles } from './tools-test-files';

export { agentNames, type AgentNames } from './names';
export { toolNames, type ToolNames } from './tools-names';

export const agentFiles = (n: AgentNames, opts: { tools?: boolean } = {}): Record<string, string> =>
  opts.tools
    ? { ...agentToolSchemaFiles(n), ...agentToolCodeFiles(n), ...agentToolTestFiles(n) }
    : { ...agentSchemaFiles(n), ...agentCodeFiles(n), ...agentTestFiles(n) };
