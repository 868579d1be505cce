import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AGENTS } from '../agents/registry';
import { AgentScaffoldError } from '../errors';
import { agentNames, toolNames } from '../ops/agent-template/index';
import { newAgent } from '../ops/new-agent';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// A name no checkout registers (a scaffolded summarizeTicket may well be in this one's registry).
const NAME = `scaffoldProbe${process.pid}`;
const names = agentNames(NAME);

/** A project root holding a copy of today's registry, so the scaffold can write without touching the checkout. */
function scratchRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'kta-new-agent-'));
  cpSync(join(ROOT, 'agents', 'registry.ts'), join(root, 'agents', 'registry.ts'));
  return root;
}

test('every name of a new agent derives from its workflow type', () => {
  assert.deepEqual(agentNames('summarizeTicket'), {
    workflowType: 'summarizeTicket', folder: 'summarize-ticket', pascal: 'SummarizeTicket', snake: 'summarize_ticket', constant: 'summarizeTicketAgent',
  });
});

test('kta new agent writes one folder and registers it with exactly one import and one entry', () => {
  const root = scratchRoot();
  const before = readFileSync(join(root, 'agents', 'registry.ts'), 'utf8').split('\n');
  const report = newAgent(root, NAME, AGENTS);
  assert.deepEqual(report.route, { topic: names.folder, workflowType: NAME, taskQueue: names.folder });
  assert.deepEqual(readdirSync(join(root, 'agents')).sort(), [names.folder, 'registry.ts'].sort());
  assert.deepEqual(
    readdirSync(join(root, 'agents', names.folder), { recursive: true }).map(String).sort(),
    ['activities.ts', 'agent.ts', 'histories', 'histories/README.md', 'output.ts', 'prompts.ts', 'record.ts', `${names.folder}.test.ts`, 'tables.ts', 'workflow.ts'].sort(),
  );
  const after = readFileSync(join(root, 'agents', 'registry.ts'), 'utf8').split('\n');
  const added = after.filter((line) => !before.includes(line));
  assert.deepEqual(added, [`import { ${names.constant} } from './${names.folder}/agent';`, `  ${names.constant},`]);
  assert.equal(after.length, before.length + 2, 'nothing else in the registry changed');
  const workflow = readFileSync(join(root, 'agents', names.folder, 'workflow.ts'), 'utf8');
  assert.match(workflow, new RegExp(`export async function ${NAME}\\(input: AgentInput<${names.pascal}Record>\\)`));
  assert.match(workflow, new RegExp(`askModel\\('${names.snake}'`));
});

test('kta new agent refuses a name that is not a workflow type, and an agent that exists, saying why', () => {
  const root = scratchRoot();
  assert.throws(() => newAgent(root, 'Summarize-ticket', AGENTS), (err: unknown) =>
    err instanceof AgentScaffoldError && /^Agent Summarize-ticket is not a workflow type: use a camelCase name/.test(err.message));
  newAgent(root, NAME, AGENTS);
  assert.throws(() => newAgent(root, NAME, AGENTS), (err: unknown) =>
    err instanceof AgentScaffoldError && err.message === `Agent ${NAME} has a folder already (agents/${names.folder}); pick another name or remove it`);
  // tagReview is the review tagger's workflow type, in the folder review-tagger: the folder check alone would let it through.
  assert.throws(() => newAgent(scratchRoot(), 'tagReview', AGENTS), (err: unknown) =>
    err instanceof AgentScaffoldError && /^Agent tagReview would reuse a name of the registered agent tagReview/.test(err.message));
});

test('kta new agent --tools writes a tool-using agent: the agent loop, a read tool, a reversible tool with its undo, a guard and a budget', () => {
  const root = scratchRoot();
  const report = newAgent(root, NAME, AGENTS, { tools: true });
  assert.deepEqual(report.route, { topic: names.folder, workflowType: NAME, taskQueue: names.folder });
  const folder = join(root, 'agents', names.folder);
  assert.deepEqual(
    readdirSync(folder, { recursive: true }).map(String).sort(),
    ['activities.ts', 'agent.ts', 'histories', 'histories/README.md', 'prompts.ts', 'record.ts', `${names.folder}.test.ts`, 'tables.ts', 'tools.ts', 'workflow.ts'].sort(),
  );
  const tools = toolNames(names);
  const toolsFile = readFileSync(join(folder, 'tools.ts'), 'utf8');
  assert.match(toolsFile, new RegExp(`name: '${tools.read}',[\\s\\S]*kind: 'read'`));
  assert.match(toolsFile, new RegExp(`name: '${tools.act}',[\\s\\S]*kind: 'reversible',\\s*undo: \\{ activity: '${tools.undo}'`));
  assert.match(toolsFile, /_BUDGET: Budget = \{ maxTurns: 6, maxTokens: 20_000 \}/);
  assert.match(readFileSync(join(folder, 'workflow.ts'), 'utf8'), /await runAgent\(\{/);
  assert.match(readFileSync(join(folder, `${names.folder}.test.ts`), 'utf8'), /sim-script: each-tool/);
  // The tools are activities: a second agent may not register them again.
  assert.throws(() => newAgent(scratchRoot(), 'supportOrder', AGENTS, { tools: true }), (err: unknown) =>
    err instanceof AgentScaffoldError && /^Agent supportOrder would reuse a name of the registered agent supportOrder/.test(err.message));
});
