// Runs the project's CLI (`kta ...`) or another binary as a real child process and collects its output.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCommand(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `kta <args>` with the scenario's environment, as a user would run it. */
export function runKta(args: string[], env: Record<string, string>, timeoutMs?: number): Promise<CommandResult> {
  return runCommand(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'main.ts'), ...args], { ...process.env, LOG_LEVEL: 'warn', ...env }, timeoutMs);
}
