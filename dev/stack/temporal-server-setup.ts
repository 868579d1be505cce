// What a fresh Temporal server lacks that the dev server makes from its start flags: the namespace
// (with the stack's retention) and the project's search attributes. Each step reads first and only
// adds what is missing, so it also runs after a restart on an existing database.
import { TemporalSetupError } from './errors';
import { runCommand } from './run-command';
import { temporalCliEnv } from './temporal-cli';
import { setNamespaceRetention } from './temporal-namespace';
import { type TemporalClientTls, temporalCliConnectionArgs } from './temporal-tls';
import { pollUntil } from './wait';

const CLI_TIMEOUT_MS = 20_000;
const NAMESPACE_VISIBLE_TIMEOUT_MS = 30_000;

export interface TemporalTarget {
  readonly cli: string;
  readonly address: string;
  readonly namespace: string;
  readonly tls?: TemporalClientTls;
}

/** Creates the namespace if absent, then sets (and reads back) its retention. */
export async function ensureNamespace(target: TemporalTarget, retentionHours: number): Promise<void> {
  const describe = await cli(target, ['operator', 'namespace', 'describe', '--output', 'json']);
  if (describe.code !== 0) {
    if (!/not found/i.test(describe.tail(5))) throw new TemporalSetupError(target.namespace, 'the namespace', describe.tail(5));
    const create = await cli(target, ['operator', 'namespace', 'create', '--retention', `${retentionHours}h`]);
    // Two stacks racing on one database may both try; the loser finds it made.
    if (create.code !== 0 && !/already (exists|registered)/i.test(create.tail(5))) {
      throw new TemporalSetupError(target.namespace, 'the namespace', create.tail(5));
    }
    // The frontend learns of a new namespace on its next registry refresh (every 2 s); until then
    // every call naming it fails with "not found", and so would the first workflow start.
    const known = await pollUntil(async () => (await cli(target, ['workflow', 'count'])).code === 0,
      { timeoutMs: NAMESPACE_VISIBLE_TIMEOUT_MS, intervalMs: 500 });
    if (!known) throw new TemporalSetupError(target.namespace, 'the namespace', `the frontend still does not know it ${NAMESPACE_VISIBLE_TIMEOUT_MS / 1000} s after creating it`);
  }
  await setNamespaceRetention(target.cli, target.address, target.namespace, retentionHours, target.tls);
}

/** Registers the search attributes the namespace lacks; fails if one exists with another type. */
export async function ensureSearchAttributes(target: TemporalTarget, wanted: Readonly<Record<string, string>>): Promise<void> {
  const existing = await listCustomAttributes(target);
  const missing = Object.entries(wanted).filter(([name]) => existing[name] === undefined);
  const clashing = Object.entries(wanted).filter(([name, type]) => existing[name] !== undefined && existing[name] !== protoType(type));
  if (clashing.length > 0) {
    throw new TemporalSetupError(target.namespace, 'the search attributes',
      clashing.map(([name, type]) => `${name} exists as ${existing[name]}, the project needs ${type}`).join('; '));
  }
  if (missing.length === 0) return;
  const create = await cli(target, ['operator', 'search-attribute', 'create', ...missing.flatMap(([name, type]) => ['--name', name, '--type', type])]);
  if (create.code !== 0) throw new TemporalSetupError(target.namespace, `the search attributes ${missing.map(([n]) => n).join(', ')}`, create.tail(5));
  const after = await listCustomAttributes(target);
  const stillMissing = missing.filter(([name]) => after[name] === undefined).map(([name]) => name);
  if (stillMissing.length > 0) {
    throw new TemporalSetupError(target.namespace, 'the search attributes', `the server does not list ${stillMissing.join(', ')} after creating them`);
  }
}

async function listCustomAttributes(target: TemporalTarget): Promise<Record<string, string>> {
  const list = await cli(target, ['operator', 'search-attribute', 'list', '--output', 'json']);
  if (list.code !== 0) throw new TemporalSetupError(target.namespace, 'the search attributes', `listing them failed: ${list.tail(5)}`);
  try {
    return (JSON.parse(list.stdout) as { customAttributes?: Record<string, string> }).customAttributes ?? {};
  } catch {
    throw new TemporalSetupError(target.namespace, 'the search attributes', `the CLI printed no JSON: ${list.tail(3)}`);
  }
}

// The CLI takes `Keyword` and prints the protobuf enum name `INDEXED_VALUE_TYPE_KEYWORD`.
function protoType(type: string): string {
  return `INDEXED_VALUE_TYPE_${type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

function cli(target: TemporalTarget, args: string[]) {
  return runCommand(target.cli, [...args, ...temporalCliConnectionArgs(target.address, target.tls), '--namespace', target.namespace, '--command-timeout', '15s'], {
    env: temporalCliEnv(),
    timeoutMs: CLI_TIMEOUT_MS,
  });
}
