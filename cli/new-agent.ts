// `kta new agent <workflowType>`: scaffolds the agent (ops/new-agent.ts) and prints what was written
// and the route to add.
import { fileURLToPath } from 'node:url';
import { AGENTS } from '../agents/registry';
import { newAgent } from '../ops/new-agent';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function newAgentCommand(workflowType: string, opts: { tools?: boolean } = {}): void {
  const report = newAgent(ROOT, workflowType, AGENTS, opts);
  const { names, route } = report;
  console.log(`kta new agent: wrote agents/${names.folder}/ and registered ${names.constant} in ${report.registry}`);
  for (const file of report.filesWritten) console.log(`  ${file}`);
  console.log('');
  console.log('Add its route to ROUTES (or ROUTES_FILE), next to the others:');
  console.log(`  ${JSON.stringify(route)}`);
  console.log(`Create its topic: npx kta topics create ${route.topic} --partitions 1`);
  console.log(`Run a worker on its task queue: WORKER_TASK_QUEUE=${route.taskQueue} npx kta worker`);
  console.log(`Its tests (end to end and replay) run with npm test: agents/${names.folder}/${names.folder}.test.ts`);
}
