// The files of a new agent folder, by path inside it: a working agent (one model call with a zod
// schema, one idempotent upsert by key), its table, shadow decisions, an end-to-end test on the real
// stack and a replay test.
import { agentCodeFiles } from './code-files';
import type { AgentNames } from './names';
import { agentSchemaFiles } from './schema-files';
import { agentTestFiles } from './test-files';

export { agentNames, type AgentNames } from './names';

export const agentFiles = (n: AgentNames): Record<string, string> => ({ ...agentSchemaFiles(n), ...agentCodeFiles(n), ...agentTestFiles(n) });
