// The workflow code an operation runs histories or records through (the replay, the shadow): the
// bundle the worker runs, or another version named by --workflows, loaded before the SDK's runtime.
import { existsSync } from 'node:fs';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Config } from '../../config';
import { bundleWorkflows } from '../../workers/bundle';
import { configuredWorkflowCode, workflowCodeAt, type WorkflowCode } from '../../workers/workflow-code';

export type LoadedWorkflowCode = { workflowBundle: { code: string } | { codePath: string } };

export function workflowCodeFor(config: Config, workflows: string | undefined): WorkflowCode {
  if (workflows !== undefined) {
    if (!existsSync(workflows)) throw new Error(`--workflows ${workflows} does not exist; give a workflows module (like workflows/index.ts) or a bundle built by bundleWorkflowCode`);
    return workflowCodeAt(workflows);
  }
  const code = configuredWorkflowCode(config.worker.workflowBundlePath);
  if ('workflowBundle' in code && !existsSync(code.workflowBundle.codePath)) {
    throw new Error(`WORKFLOW_BUNDLE_PATH ${code.workflowBundle.codePath} does not exist; point it at the bundle the workers load, or unset it to bundle workflows/index.ts as the worker does`);
  }
  return code;
}

/**
 * A module is bundled here, before the SDK's runtime exists: a bundle that fails to build then shows
 * webpack's errors and leaves no runtime behind to keep the process alive.
 */
export async function loadWorkflowCode(code: WorkflowCode): Promise<LoadedWorkflowCode> {
  return 'workflowsPath' in code ? { workflowBundle: { code: await bundleWorkflows(code.workflowsPath) } } : code;
}

let sdkRuntimeInstalled = false;

/**
 * The replay worker logs every activation, and each failed one at error level; the outcome lines say it
 * once. Installed just before the replay: the runtime keeps the process alive until its last worker
 * closes, so a command that stops earlier must not have created it.
 */
export function installQuietSdkRuntime(logLevel: Config['logLevel']): void {
  if (sdkRuntimeInstalled) return;
  const level: LogLevel | undefined = logLevel === 'trace' ? 'TRACE' : logLevel === 'debug' ? 'DEBUG' : undefined;
  Runtime.install({
    logger: level ? new DefaultLogger(level) : new DefaultLogger('ERROR', () => undefined),
    telemetryOptions: { logging: { filter: { core: level ?? 'ERROR', other: 'ERROR' }, forward: {} } },
  });
  sdkRuntimeInstalled = true;
}
