// `kta`: the project's command-line tool, thin over the modules the services use.
import { Command } from 'commander';
import { ConfigError } from '../errors';

const program = new Command('kta')
  .description('LLM agents that consume Kafka, made safe by Temporal')
  .showHelpAfterError();

program.command('bridge').description('consume Kafka and start one workflow per record (start, then commit)')
  .action(async () => (await import('./bridge')).bridgeCommand());

program.command('worker').description('run the review tagger worker (WORKER_TASK_QUEUE, default review-tagger)')
  .action(async () => (await import('./worker')).workerCommand());

program.command('demo').description('start the local stack, run the review tagger on generated reviews, print a summary')
  .option('--records <n>', 'review records to produce', (v) => Number.parseInt(v, 10), 200)
  .option('--partitions <n>', 'partitions of the demo topic', (v) => Number.parseInt(v, 10), 3)
  .option('--once', 'stop everything after the summary instead of keeping the stack up')
  .option('--dir <path>', 'where the stack keeps data and logs (default: a fresh temp dir)')
  .action(async (opts: { records: number; partitions: number; once?: boolean; dir?: string }) => (await import('./demo')).demoCommand(opts));

const stack = program.command('stack').description('the local stack: Temporal dev server, Kafka (KRaft), PostgreSQL, LLM simulator');
stack.command('up').description('start the stack in the foreground and write .kta/stack.json; Ctrl-C stops it')
  .option('--dir <path>', 'data and logs directory', '.kta/stack')
  .action(async (opts: { dir: string }) => (await import('./stack')).stackUp(opts));
stack.command('down').description('stop a stack started by `kta stack up`')
  .option('--dir <path>', 'data and logs directory', '.kta/stack')
  .action(async (opts: { dir: string }) => (await import('./stack')).stackDown(opts));

program.command('simulator').description('run the LLM simulator (test and demo infrastructure, not a model); flags in scripts/llm-simulator/README.md')
  .allowUnknownOption()
  .allowExcessArguments()
  .helpOption(false)
  .action(async (_opts: unknown, cmd: Command) => (await import('./simulator')).simulatorCommand(cmd.args));

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exitCode = 1;
});
