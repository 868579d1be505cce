// The stack file: where a running stack's services listen, so other commands (`kta stack down`, a
// worker started by hand) can find them without being told.
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StackFileError } from './errors';
import type { TemporalClientTls } from './temporal-tls';

const stackFileSchema = z.object({
  temporal: z.object({
    address: z.string(),
    namespace: z.string(),
    uiUrl: z.string().optional(),
    /** Absent in files written before the PostgreSQL-backed option: the dev server. */
    server: z.enum(['dev', 'postgres']).optional(),
    /** Client certificate files, when the frontend requires mutual TLS. */
    tls: z.object({ caFile: z.string(), certFile: z.string(), keyFile: z.string(), serverName: z.string() }).optional(),
  }),
  kafka: z.object({ brokers: z.array(z.string()).min(1) }),
  databaseUrl: z.string(),
  pids: z.object({
    temporal: z.number().int().optional(),
    kafka: z.number().int().optional(),
    postgres: z.number().int().optional(),
    /** The process that started the stack and stops it on SIGTERM; the services die with it. */
    owner: z.number().int().optional(),
  }),
  dir: z.string().optional(),
});

export type StackFile = z.infer<typeof stackFileSchema>;

/** What the stack file records of a running stack (dev/stack/index.ts's Stack has these and more). */
export interface StackFileSource {
  readonly dir: string;
  readonly temporal: {
    readonly kind?: 'dev' | 'postgres';
    readonly address: string;
    readonly namespace: string;
    readonly uiUrl?: string;
    readonly tls?: TemporalClientTls;
    readonly pid?: number;
  };
  readonly kafka: { readonly brokers: readonly string[]; readonly pid?: number };
  readonly postgres: { readonly url: string; readonly pid?: number };
}

/** Writes the stack file atomically and readable only by its owner: it holds the database password. */
export async function writeStackFile(stack: StackFileSource, file: string): Promise<void> {
  const content: StackFile = {
    temporal: {
      address: stack.temporal.address,
      namespace: stack.temporal.namespace,
      uiUrl: stack.temporal.uiUrl,
      server: stack.temporal.kind,
      ...(stack.temporal.tls ? { tls: { ...stack.temporal.tls } } : {}),
    },
    kafka: { brokers: [...stack.kafka.brokers] },
    databaseUrl: stack.postgres.url,
    pids: { temporal: stack.temporal.pid, kafka: stack.kafka.pid, postgres: stack.postgres.pid, owner: process.pid },
    dir: stack.dir,
  };
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  await writeFile(partial, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  await chmod(partial, 0o600);
  await rename(partial, file);
}

export async function readStackFile(file: string): Promise<StackFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new StackFileError(file, 'cannot be read (no stack running?)', { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StackFileError(file, 'is not valid JSON', { cause: error });
  }
  const parsed = stackFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new StackFileError(file, `does not describe a stack (${problems})`, { cause: parsed.error });
  }
  return parsed.data;
}
