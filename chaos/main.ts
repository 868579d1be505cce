// `npm run chaos -- [--records N] [--seed S] [--out DIR] [--rounds R] [--rate R]`: one chaos run on its
// own stack; prints the table, then one JSON line; exits 1 when a must-be-0 figure is not 0 or a
// fault did not fire.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ChaosInterruptedError, runChaos } from './run-chaos';

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('give a whole number, 1 or more');
  return n;
};

const program = new Command('chaos')
  .description('Chaos run: every agent, two bridges, two workers, faults on a seeded schedule, audited from outside')
  .option('--records <n>', 'records to produce', positiveInt, 10_000)
  .option('--seed <s>', 'seed of the records and the fault schedule', positiveInt, 1)
  .option('--out <dir>', 'where the stack, the logs, the report and the timeline go (default: a new dir under the temp dir)')
  .option('--rounds <r>', 'how often each fault kind is injected (default 1 up to 5,000 records, else 2)', positiveInt)
  .option('--rate <r>', 'records produced per second (default: spread over about 20 s per fault)', positiveInt)
  .parse();

const o = program.opts<{ records: number; seed: number; out?: string; rounds?: number; rate?: number }>();
const outDir = path.resolve(o.out ?? mkdtempSync(path.join(tmpdir(), 'kta-chaos-')));
const interrupt = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => interrupt.abort());
const report = await runChaos({ records: o.records, seed: o.seed, outDir, faultRounds: o.rounds, recordsPerSecond: o.rate, signal: interrupt.signal }).catch((err: unknown) => {
  if (!(err instanceof ChaosInterruptedError)) throw err;
  console.error(err.message);
  process.exit(130);
});
const { table, ...figures } = report;
console.log(table);
console.log(`\ntimeline: ${report.svgPath}\nreport: ${path.join(outDir, 'chaos-report.json')}`);
if (report.failures.length) console.log(`\nFAILED:\n  ${report.failures.join('\n  ')}`);
console.log(JSON.stringify(figures));
process.exit(report.failures.length ? 1 : 0);
