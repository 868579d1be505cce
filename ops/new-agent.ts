// `kta new agent <workflowType> [--tools]`: writes a working agent folder and registers it (one import
// and one entry in agents/registry.ts), and says which route to add. Nothing else in the project
// changes. `--tools` writes a tool-using agent (the agent loop, typed tools, a guard, a budget).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { AgentDefinition } from '../agents/agent-definition';
import { printable } from '../core/printable';
import { AgentScaffoldError } from '../errors';
import { agentFiles, agentNames, toolNames, type AgentNames } from './agent-template/index';

export interface NewAgentReport {
  readonly names: AgentNames;
  /** Paths relative to the project root. */
  readonly filesWritten: string[];
  readonly registry: string;
  /** The route to add to ROUTES (or ROUTES_FILE) for the new agent. */
  readonly route: { topic: string; workflowType: string; taskQueue: string };
}

/** A camelCase identifier short enough for a folder, a table and an activity name built from it. */
const WORKFLOW_TYPE = /^[a-z][A-Za-z0-9]{0,47}$/;

/** `registered`: the agents there are (agents/registry.ts's AGENTS); a new one may not reuse their workflow types, activities or model tasks. */
export function newAgent(root: string, workflowType: string, registered: readonly AgentDefinition[], opts: { tools?: boolean } = {}): NewAgentReport {
  if (!WORKFLOW_TYPE.test(workflowType)) throw new AgentScaffoldError(printable(workflowType, 60), 'is not a workflow type: use a camelCase name of at most 48 characters that says the business action, like summarizeTicket');
  const names = agentNames(workflowType);
  const tools = toolNames(names);
  const activities = opts.tools ? [tools.read, tools.act, tools.undo] : [`upsert${names.pascal}Result`];
  const taken = registered.find((a) => a.workflowType === workflowType || names.snake in a.outputs || activities.some((name) => name in a.shadow));
  if (taken) throw new AgentScaffoldError(workflowType, `would reuse a name of the registered agent ${taken.workflowType} (its workflow type, model task ${names.snake} or an activity of ${activities.join(', ')}); pick another name`);
  const folder = join(root, 'agents', names.folder);
  const registryPath = join(root, 'agents', 'registry.ts');
  if (existsSync(folder)) throw new AgentScaffoldError(workflowType, `has a folder already (${relative(root, folder)}); pick another name or remove it`);
  const registry = readFileSync(registryPath, 'utf8');
  if (new RegExp(`\\b${names.constant}\\b`).test(registry)) throw new AgentScaffoldError(workflowType, 'is registered already in agents/registry.ts');
  const closing = registry.lastIndexOf('];');
  const lastImport = registry.lastIndexOf('\nimport ');
  if (closing < 0 || lastImport < 0) throw new AgentScaffoldError(workflowType, 'cannot be registered: agents/registry.ts has no import list and AGENTS array to extend');

  const written: string[] = [];
  for (const [name, text] of Object.entries(agentFiles(names, opts))) {
    const path = join(folder, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    written.push(relative(root, path));
  }
  const importEnd = registry.indexOf('\n', lastImport + 1);
  const withImport = `${registry.slice(0, importEnd + 1)}import { ${names.constant} } from './${names.folder}/agent';\n${registry.slice(importEnd + 1)}`;
  const at = withImport.lastIndexOf('];');
  writeFileSync(registryPath, `${withImport.slice(0, at)}  ${names.constant},\n${withImport.slice(at)}`);
  return { names, filesWritten: written, registry: relative(root, registryPath), route: { topic: names.folder, workflowType, taskQueue: names.folder } };
}
