// Which workflow code a worker runs, in one place: `kta replay` must check exactly the code the
// worker would run, so both take it from here.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { workflowsEntryPath } from './workflows-entry';

/** The part of Worker (and replay worker) options that names the workflow code. */
export type WorkflowCode = { workflowBundle: { codePath: string } } | { workflowsPath: string };

// bundleWorkflowCode's output starts by declaring the global the worker's VM reads the workflows from.
const BUNDLE_PREAMBLE = 'var __TEMPORAL__';

/** The prebuilt bundle of WORKFLOW_BUNDLE_PATH when set; else every registered agent's workflow, bundled when the worker starts. */
export function configuredWorkflowCode(bundlePath: string | undefined): WorkflowCode {
  return bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: workflowsEntryPath() };
}

/** A path a user gave: a bundle written by bundleWorkflowCode (or `bundleWorkflowsTo`), else a workflows module to bundle. */
export function workflowCodeAt(path: string): WorkflowCode {
  const absolute = resolve(path);
  if (statSync(absolute).isDirectory()) return { workflowsPath: absolute };
  return isWorkflowBundle(absolute) ? { workflowBundle: { codePath: absolute } } : { workflowsPath: absolute };
}

export function describeWorkflowCode(code: WorkflowCode): string {
  return 'workflowBundle' in code ? `bundle ${code.workflowBundle.codePath}` : `module ${code.workflowsPath} (bundled now)`;
}

function isWorkflowBundle(file: string): boolean {
  if (!/\.[cm]?js$/.test(file)) return false;
  const head = Buffer.alloc(BUNDLE_PREAMBLE.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return head.toString('utf8') === BUNDLE_PREAMBLE;
}
