// Bundles the workflow code once (webpack, seconds on two cores) so workers can load the file
// instead of bundling on every start.
import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';

import { workflowsEntryPath } from './workflows-entry';

/** The workflow code bundled in memory; webpack's warnings and errors go to stderr. */
export async function bundleWorkflows(workflowsPath = workflowsEntryPath()): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  return code;
}

export async function bundleWorkflowsTo(outFile: string, workflowsPath = workflowsEntryPath()): Promise<string> {
  await writeFile(outFile, await bundleWorkflows(workflowsPath));
  return outFile;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
