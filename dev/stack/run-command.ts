// Short-lived commands (go install, mvn, the Temporal CLI, Kafka's StorageTool): output captured
// for error messages, optionally streamed line by line for progress.
import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The last output lines of both streams, for error messages. */
  tail(lines?: number): string;
}

export interface RunCommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called for every complete output line (stdout and stderr), e.g. to stream build progress. */
  onLine?: (line: string) => void;
  /** Kill the command after this long; a hung health probe must not hang the stack start. */
  timeoutMs?: number;
}

export function runCommand(command: string, args: string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: string[] = [];
    const err: string[] = [];
    const lines: string[] = [];
    const partial = { stdout: '', stderr: '' };

    const collect = (stream: 'stdout' | 'stderr', sink: string[]) => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      sink.push(text);
      const pieces = (partial[stream] + text).split('\n');
      partial[stream] = pieces.pop() ?? '';
      for (const line of pieces) emit(line);
    };
    const emit = (line: string): void => {
      lines.push(line);
      if (lines.length > 200) lines.shift();
      options.onLine?.(line);
    };
    child.stdout.on('data', collect('stdout', out));
    child.stderr.on('data', collect('stderr', err));

    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${command}: ${error.message}`, { cause: error }));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      for (const rest of [partial.stdout, partial.stderr]) if (rest) emit(rest);
      resolve({
        code,
        signal,
        stdout: out.join(''),
        stderr: err.join(''),
        tail: (n = 20) => lines.slice(-n).join('\n'),
      });
    });
  });
}
