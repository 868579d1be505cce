// Child process of the smoke check: starts the stack, prints the service pids as one JSON line, then
// dies the way the first argument says (exit, throw, reject). The parent checks that no service
// outlived it: the child registry must take them down however this process ends.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack } from './index';

const how = process.argv[2] ?? 'exit';
const stack = await startStack({ dir: mkdtempSync(path.join(os.tmpdir(), 'kta-smoke-crash-')), ui: false, log: () => undefined });
process.stdout.write(`${JSON.stringify({ pids: [stack.temporal.pid, stack.kafka.pid, stack.postgres.pid], dir: stack.dir })}\n`);
if (how === 'exit') process.exit(3);
if (how === 'throw') throw new Error('smoke: crashing on purpose with an uncaught exception');
if (how === 'reject') void Promise.reject(new Error('smoke: crashing on purpose with an unhandled rejection'));
