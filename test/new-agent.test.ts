import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AgentScaffoldError } from '../errors';
import { newAgent } from '../ops/new-agent';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A project root holding a copy of today's registry, so the scaffold can write without touching the checkout. */
function scratchRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'kta-new-agent-'));
  cpSync(join(ROOT, 'agents', 'registry.ts'), join(root, 'agents', 'registry.ts'));
  return root;
}

test('kta new agent writes one folder and registers it with exactly one import and one entry', () => {
  const root = scratchRoot();
  const before = readFileSync(join(root, 'agents', 'registry.ts'), 'utf8').split('\n');
  const report = newAgent(root, 'summarizeTicket');
  assert.deepEqual(report.route, { topic: 'summarize-ticket', workflowType: 'summarizeTicket', taskQueue: 'summarize-ticket' });
  assert.deepEqual(readdirSync(join(root, 'agents')).sort(), ['registry.ts', 'summarize-ticket']);
  assert.deepEqual(
    readdirSync(join(root, 'agents', 'summarize-ticket'), { recursive: true }).map(String).sort(),
    ['activities.ts', 'agent.ts', 'histories', 'histories/README.md', 'output.ts', 'prompts.ts', 'record.ts', 'summarize-ticket.test.ts', 'tables.ts', 'workflow.ts'],
  );
  const after = readFileSync(join(root, 'agents', 'registry.ts'), 'utf8').split('\n');
  const added = after.filter((line) => !before.includes(line));
  assert.deepEqual(added, ["import { summarizeTicketAgent } from './summarize-ticket/agent';", '  summarizeTicketAgent,']);
  assert.equal(after.length, before.length + 2, 'nothing else in the registry changed');
  const workflow = readFileSync(join(root, 'agents', 'summarize-ticket', 'workflow.ts'), 'utf8');
  assert.match(workflow, /export async function summarizeTicket\(input: AgentInput<SummarizeTicketRecord>\)/);
  assert.match(workflow, /askModel\('summarize_ticket'/);
});

test('kta new agent refuses a name that is not a workflow type, and an agent that exists, saying why', () => {
  const root = scratchRoot();
  assert.throws(() => newAgent(root, 'Summarize-ticket'), (err: unknown) =>
    err instanceof AgentScaffoldError && /^Agent Summarize-ticket is not a workflow type: use a camelCase name/.test(err.message));
  newAgent(root, 'summarizeTicket');
  assert.throws(() => newAgent(root, 'summarizeTicket'), (err: unknown) =>
    err instanceof AgentScaffoldError && err.message === 'Agent summarizeTicket has a folder already (agents/summarize-ticket); pick another name or remove it');
});
