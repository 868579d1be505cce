// Runs the plain protocol consumers (plain-protocol-consumer.ts) as separate processes in one group,
// as they would be deployed; their logs go to the bench's log dir. SIGKILLed at the end: the figures
// are read before, and nothing they do afterwards counts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlainProtocolSettings } from './plain-protocol-settings';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('./plain-protocol-consumer.ts', import.meta.url));

export interface PlainProtocolGroup {
  readonly pids: number[];
  /** True while every member still runs (one that exited has failed: its log says why). */
  allAlive(): boolean;
  kill(): Promise<void>;
}

export function startPlainProtocolGroup(count: number, settings: PlainProtocolSettings, logDir: string): PlainProtocolGroup {
  const children: ChildProcess[] = Array.from({ length: count }, (_, i) => {
    const out = createWriteStream(join(logDir, `plain-protocol-${i + 1}.log`), { flags: 'a' });
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, JSON.stringify(settings)], {
      cwd: ROOT,
      env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    return child;
  });
  const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
  // A bench that dies must not leave consumers calling the model in the background.
  process.once('exit', () => children.forEach((c) => running(c) && c.kill('SIGKILL')));
  return {
    pids: children.map((c) => c.pid!),
    allAlive: () => children.every(running),
    async kill() {
      await Promise.all(children.map((c) => {
        if (!running(c)) return undefined;
        const exited = new Promise((resolve) => c.once('exit', resolve));
        c.kill('SIGKILL');
        return exited;
      }));
    },
  };
}
