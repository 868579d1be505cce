// `kta`: the project's command-line tool, thin over the modules the services use.
import { Command, InvalidArgumentError, Option } from 'commander';

const program = new Command('kta')
  .description('LLM agents that consume Kafka, made safe by Temporal')
  .showHelpAfterError('(add --help for the usage)');

program.command('bridge').description('consume Kafka and start one workflow per record (start, then commit)')
  .action(async () => (await import('./bridge')).bridgeCommand());

program.command('worker').description('run the agents\' worker (every agent\'s workflows and activities) on WORKER_TASK_QUEUE, default review-tagger')
  .action(async () => (await import('./worker')).workerCommand());

program.command('relay').description('publish the outbox to the output topics, exactly once per step (RELAY_TRANSACTIONAL_ID, RELAY_TOPICS)')
  .action(async () => (await import('./relay')).relayCommand());

const review = program.command('review').description('the human in the loop: runs awaiting a review decision (AgentStatus=AwaitingReview)');
review.command('list').description('runs awaiting a review, with their draft\'s confidence and deadline')
  .option('--json', 'print one JSON array')
  .action(async (opts: { json?: boolean }) => (await import('./review')).reviewList(opts));
review.command('show').description('the pending review of one run (question, draft, confidence, deadline)')
  .argument('<workflowId>')
  .action(async (workflowId: string) => (await import('./review')).reviewShow(workflowId));
review.command('approve').description('send the draft answer as it is')
  .argument('<workflowId>')
  .option('--reviewer <name>', 'who decides (default: your user name)')
  .option('--note <text>', 'a note kept with the decision')
  .action(async (workflowId: string, opts: { reviewer?: string; note?: string }) => {
    const r = await import('./review');
    await r.reviewDecide(workflowId, { action: 'approve', reviewer: opts.reviewer ?? r.defaultReviewer(), note: opts.note });
  });
review.command('edit').description('send a corrected answer instead of the draft')
  .argument('<workflowId>')
  .requiredOption('--answer <text>', 'the answer to send')
  .option('--reviewer <name>', 'who decides (default: your user name)')
  .option('--note <text>', 'a note kept with the decision')
  .action(async (workflowId: string, opts: { answer: string; reviewer?: string; note?: string }) => {
    const r = await import('./review');
    await r.reviewDecide(workflowId, { action: 'edit', reviewer: opts.reviewer ?? r.defaultReviewer(), answer: opts.answer, note: opts.note });
  });
review.command('reject').description('send nothing; the ticket goes to a human agent')
  .argument('<workflowId>')
  .option('--reviewer <name>', 'who decides (default: your user name)')
  .option('--reason <text>', 'why the draft was rejected')
  .action(async (workflowId: string, opts: { reviewer?: string; reason?: string }) => {
    const r = await import('./review');
    await r.reviewDecide(workflowId, { action: 'reject', reviewer: opts.reviewer ?? r.defaultReviewer(), reason: opts.reason });
  });

program.command('demo').description('start the local stack, run the review tagger on generated reviews, print a summary')
  .option('--records <n>', 'review records to produce', (v) => Number.parseInt(v, 10), 200)
  .option('--partitions <n>', 'partitions of the demo topic', (v) => Number.parseInt(v, 10), 3)
  .option('--once', 'stop everything after the summary instead of keeping the stack up')
  .option('--dir <path>', 'where the stack keeps data and logs (default: a fresh temp dir)')
  .action(async (opts: { records: number; partitions: number; once?: boolean; dir?: string }) => (await import('./demo')).demoCommand(opts));

const stack = program.command('stack').description('the local stack: Temporal (dev server, or --server postgres), Kafka (KRaft), PostgreSQL, LLM simulator');
stack.command('up').description('start the stack in the foreground and write .kta/stack.json; Ctrl-C stops it')
  .option('--dir <path>', 'data and logs directory', '.kta/stack')
  .addOption(new Option('--server <kind>', 'Temporal: the CLI\'s dev server (with the UI), or the server users deploy, built from source, on the stack\'s PostgreSQL (no UI)')
    .choices(['dev', 'postgres']).default('dev'))
  .option('--tls', 'mutual TLS on Temporal\'s frontend, certificates made at start (needs --server postgres); stack.env points clients at them')
  .addOption(new Option('--kafka-security <mode>', 'sasl-ssl: Kafka also listens with SASL_SSL (SCRAM-SHA-512/256, PLAIN; throwaway certificates) and stack.env points at it').choices(['sasl-ssl']))
  .action(async (opts: { dir: string; server: 'dev' | 'postgres'; tls?: boolean; kafkaSecurity?: string }) => (await import('./stack')).stackUp(opts));
stack.command('down').description('stop a stack started by `kta stack up`')
  .option('--dir <path>', 'data and logs directory', '.kta/stack')
  .action(async (opts: { dir: string }) => (await import('./stack')).stackDown(opts));

const wholeNumber = (min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`give a whole number of ${min} or more`);
  return n;
};
program.command('produce').description('produce one record per line of JSON (from --file or stdin) to a topic on KAFKA_BROKERS, for working by hand')
  .argument('<topic>')
  .option('--file <path>', 'read the lines from this file instead of stdin')
  .option('--key-field <name>', 'use this JSON field of each line as the record key')
  .action(async (topic: string, opts: { file?: string; keyField?: string }) => (await import('./produce')).produceCommand(topic, opts));
const create = program.command('new').description('scaffold project code');
create.command('agent').description('write a working agent folder (agents/<name>/: record schema, model call with a zod schema, idempotent upsert, table, shadow stubs, tests) and register it')
  .argument('<workflowType>', 'the workflow type, camelCase, named for the business action (summarizeTicket)')
  .option('--tools', 'a tool-using agent instead: the agent loop with a read tool, a reversible tool and its undo, a guard policy and a budget')
  .action(async (workflowType: string, opts: { tools?: boolean }) => (await import('./new-agent')).newAgentCommand(workflowType, opts));
const topics = program.command('topics').description('Kafka topics, with the project\'s own client (the local stack ships no Kafka scripts)');
topics.command('create').description('create a topic on KAFKA_BROKERS; one that exists already is left as it is')
  .argument('<topic>')
  .option('--partitions <n>', 'partitions: at most this many bridge members read it in parallel', wholeNumber(1), 1)
  .option('--replication-factor <n>', 'copies of each partition (default: the broker\'s default)', wholeNumber(1))
  .action(async (topic: string, opts: { partitions: number; replicationFactor?: number }) => (await import('./topics')).topicsCreateCommand(topic, opts));

program.command('reprocess').description('re-drive dead letters into new runs topic-partition-offset#retry-N (N: one more than the failed run\'s); a dead letter already re-driven, or one that cannot be (its value still invalid), is reported and counted, never started twice')
  .requiredOption('--topic <dlq>', 'the dead-letter topic to read')
  .option('--class <class>', 'only this class (REPROCESS, HUMAN_REVIEW, COMPENSATE, INVALID_INPUT, ...)')
  .option('--from-offset <n>', 'only original offsets from n', (v) => Number.parseInt(v, 10))
  .option('--to-offset <n>', 'only original offsets up to n', (v) => Number.parseInt(v, 10))
  .option('--max-retries <n>', 'give up on a dead letter after this many re-drives', (v) => Number.parseInt(v, 10), 10)
  .option('--dry-run', 'print what a real run would start, checked against Temporal, and start nothing')
  .action(async (opts: { topic: string; class?: string; fromOffset?: number; toOffset?: number; maxRetries: number; dryRun?: boolean }) => (await import('./reprocess')).reprocessCommand(opts));

program.command('doctor').description('check a deployment from the bridge\'s and worker\'s configuration: Temporal, search attributes, heartbeat budget, Kafka topics and lag, workers, PostgreSQL, LLM endpoint; exit 1 when a check fails')
  .option('--json', 'print one JSON object { ok, checks: [{ name, status, message, fix?, details? }] }')
  .option('--timeout <ms>', 'time limit of each check (default 5000)', (v) => {
    const ms = Number(v);
    if (!Number.isInteger(ms) || ms <= 0) throw new InvalidArgumentError('give a whole number of milliseconds above 0');
    return ms;
  })
  .action(async (opts: { json?: boolean; timeout?: number }) => (await import('./doctor')).doctorCommand(opts));

program.command('status').description('what to look at first: per route the bridge group\'s lag, open and finished runs, dead letters and whether a bridge would pause it; the model limiter and tokens of the last hour; exit 2 when the configuration is invalid')
  .option('--json', 'print one JSON object { at, groupId, routes, limiter, bridges }')
  .option('--bridge <url>', 'a bridge\'s metrics server (its METRICS_PORT), e.g. http://127.0.0.1:9464, for its paused topics and counters; repeatable', (v: string, urls: string[] = []) => {
    if (!/^https?:\/\/[^/]+/.test(v)) throw new InvalidArgumentError('give the bridge\'s metrics address as http://HOST:PORT');
    return [...urls, v];
  })
  .addOption(new Option('--watch <seconds>', 'reprint every this many seconds until Ctrl-C').conflicts('json').argParser((v) => {
    const s = Number(v);
    if (!Number.isFinite(s) || s <= 0) throw new InvalidArgumentError('give a number of seconds above 0');
    return s;
  }))
  .action(async (opts: { json?: boolean; bridge?: string[]; watch?: number }) => (await import('./status')).statusCommand(opts));

const offsetArg = (what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`give ${what} as a whole number of 0 or more`);
  return n;
};
program.command('audit').description('prove that nothing was skipped: every record the bridge group committed has its run, dead letter, business-key skip record or entity turn; exit 1 when one is missing, 2 when the audit cannot run')
  .option('--topic <topic>', 'only this route topic (default: every route topic)')
  .option('--partition <n>', 'only this partition', offsetArg('a partition'))
  .option('--from-offset <n>', 'first offset to audit (default: the earliest retained)', offsetArg('an offset'))
  .option('--to-offset <n>', 'last offset to audit, inclusive (default: the one before the group\'s committed offset)', offsetArg('an offset'))
  .option('--json', 'print one JSON object { ok, groupId, partitions, missing }')
  .action(async (opts: { topic?: string; partition?: number; fromOffset?: number; toOffset?: number; json?: boolean }) => (await import('./audit')).auditCommand(opts));

const repeatable = (v: string, all: string[] = []) => [...all, v];
program.command('replay').description('run recorded or live histories through today\'s workflow code (the worker\'s bundle, or --workflows) to check a workflow change before it is deployed; exit 1 when a history does not replay, 2 when the replay cannot run')
  .option('--query <query>', 'replay the runs this visibility query lists (default, without --workflow-id or --file: every run of the routes\' topics, KafkaTopic = "...")')
  .option('--limit <n>', 'replay at most this many runs of the query (default 1000)', (v) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('give a whole number of 1 or more');
    return n;
  })
  .option('--workflow-id <id>', 'replay this workflow\'s latest run; repeatable', repeatable)
  .option('--file <path>', 'replay a recorded history (JSON from `temporal workflow show --output json`, historyToJSON or --save); repeatable', repeatable)
  .option('--workflows <path>', 'replay against this workflows module (bundled now) or prebuilt bundle instead of WORKFLOW_BUNDLE_PATH or workflows/index.ts')
  .option('--save <dir>', 'also write each history fetched from Temporal to DIR/<workflow ID>.json, for --file and replay tests')
  .option('--json', 'print one JSON object { ok, workflows, query?, summary: { replayed, ok, failed }, histories }')
  .action(async (opts: { query?: string; limit?: number; workflowId?: string[]; file?: string[]; workflows?: string; save?: string; json?: boolean }) => (await import('./replay')).replayCommand(opts));

program.command('shadow').description('run an offset range through a new agent version (today\'s workflow code or --workflows) with side effects stubbed and diff each result against the production run; exit 1 when a shadow run failed, 2 when it cannot run')
  .requiredOption('--topic <topic>', 'the route topic to read')
  .requiredOption('--partition <n>', 'the partition to read', offsetArg('a partition'))
  .requiredOption('--from-offset <n>', 'first offset', offsetArg('an offset'))
  .requiredOption('--to-offset <n>', 'last offset, inclusive', offsetArg('an offset'))
  .option('--workflows <path>', 'a workflows module (bundled now) or prebuilt bundle instead of WORKFLOW_BUNDLE_PATH or workflows/index.ts')
  .option('--name <name>', 'names the shadow runs shadow:<name>:<original ID> (default: random)')
  .option('--timeout-s <seconds>', 'wait this long for the shadow runs to close, then terminate them (default 300)', offsetArg('a number of seconds'))
  .option('--json', 'print one JSON object { ok, name, taskQueue, workflows, range, summary, records }')
  .action(async (opts: { topic: string; partition: number; fromOffset: number; toOffset: number; workflows?: string; name?: string; timeoutS?: number; json?: boolean }) => (await import('./shadow')).shadowCommand(opts));

program.command('usage').description('lineage and cost of model calls (the llm_calls ledger): calls, tokens and estimated cost per route, run, step or model')
  .option('--by <grouping>', 'route | run | step | model', 'route')
  .option('--since <duration>', 'window: 30m, 24h, 7d (or a PostgreSQL interval)', '24h')
  .option('--workflow-id <id>', 'only this run (with --by step: its calls one by one)')
  .option('--topic <topic>', 'only this route topic')
  .option('--limit <n>', 'rows at most', (v) => Number.parseInt(v, 10), 100)
  .option('--json', 'print one JSON object { by, since, rows }')
  .action(async (opts: { by: string; since: string; workflowId?: string; topic?: string; limit: number; json?: boolean }) => (await import('./usage')).usageCommand(opts));

program.command('prune').description('delete bookkeeping rows that can no longer matter (claim checks, effects, sent outbox rows, dead-letter and skip audit rows past the horizon the namespace and topic retentions imply; expired business keys; old usage rows); run it daily')
  .option('--dry-run', 'count what would go, delete nothing')
  .option('--usage-days <n>', 'keep this many days of llm_calls (cost history)', (v) => Number(v), 90)
  .option('--json', 'print one JSON object { dryRun, horizon, results }')
  .action(async (opts: { dryRun?: boolean; usageDays: number; json?: boolean }) => (await import('./prune')).pruneCommand(opts));

program.command('simulator').description('run the LLM simulator (test and demo infrastructure, not a model); flags in dev/llm-simulator/README.md')
  .allowUnknownOption()
  .allowExcessArguments()
  .helpOption(false)
  .action(async (_opts: unknown, cmd: Command) => (await import('./simulator')).simulatorCommand(cmd.args));

program.parseAsync(process.argv).catch(async (err: unknown) => {
  const { failureText } = await import('./print-failure');
  console.error(failureText(err, Boolean(process.env.KTA_DEBUG)));
  // A failed start can leave connections open (Temporal, PostgreSQL); they must not keep the command alive.
  process.exit(1);
});
