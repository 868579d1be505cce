// The stack the test runner (test/run.ts) started once for the whole suite, handed over in KTA_TEST_STACK.
import { existsSync } from 'node:fs';

export interface TestStack {
  readonly dir: string;
  readonly temporal: { address: string; namespace: string; uiUrl?: string };
  readonly kafka: { brokers: string[] };
  readonly databaseUrl: string;
  readonly workflowBundlePath: string;
}

export function testStack(): TestStack {
  const raw = process.env.KTA_TEST_STACK;
  if (!raw) {
    throw new Error('KTA_TEST_STACK is not set: run the suite with `npm test`, which starts Temporal, Kafka and PostgreSQL first');
  }
  const stack = JSON.parse(raw) as TestStack;
  if (!existsSync(stack.workflowBundlePath)) throw new Error(`the workflow bundle ${stack.workflowBundlePath} is missing; run the suite with \`npm test\``);
  return stack;
}
