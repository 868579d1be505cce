// Bundles the workflow code once (webpack, seconds on two cores) so workers can load the file
// instead of bundling on every start.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** The workflow code bundled in memory; webpack's warnings and errors go to stderr. */
export async function bundleWorkflows(workflowsPath = WORKFLOWS_PATH): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  return code;
}

export async function bundleWorkflowsTo(outFile: string, workflowsPath = WORKFLOWS_PATH): Promise<string> {
  await writeFile(outFile, await bundleWorkflows(workflowsPath));
  return outFile;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
