// Reads a value that may come from the environment itself (NAME) or from a file (NAME_FILE: the path
// of a file whose content is the value, as Docker and Kubernetes mount secrets). Giving both is a
// mistake: one would silently win. Every problem becomes a line with its fix; no line ever quotes a value.
import { readFileSync } from 'node:fs';

export type ValueSource = { readonly from: 'env' } | { readonly from: 'file'; readonly path: string };

/** Which of the secured-connection settings are set, and where from (never what they are), for `kta doctor`. */
export type SettingSources = Record<string, ValueSource>;

export interface EnvReader {
  readonly env: NodeJS.ProcessEnv;
  readonly problems: string[];
  readonly sources: SettingSources;
}

const given = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * The value of NAME or the content of NAME_FILE, or undefined when neither is set. A file's trailing
 * line break is dropped (`echo secret > file` writes one), nothing else: a password keeps its spaces.
 */
export function readSetting(reader: EnvReader, name: string): string | undefined {
  const value = reader.env[name];
  const file = reader.env[`${name}_FILE`];
  if (given(value) && given(file)) {
    reader.problems.push(`${name} and ${name}_FILE are both set; keep one (${name}_FILE=<path> for a mounted secret, or ${name} for the value itself)`);
    return undefined;
  }
  if (given(value)) {
    reader.sources[name] = { from: 'env' };
    return value;
  }
  if (!given(file)) return undefined;
  try {
    const content = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    reader.sources[name] = { from: 'file', path: file };
    if (content === '') reader.problems.push(`${name}_FILE (${file}) is empty; write the value into it or point ${name}_FILE at the right file`);
    return content === '' ? undefined : content;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    reader.problems.push(`${name}_FILE (${file}) cannot be read (${code}); point ${name}_FILE at a file this process can read`);
    return undefined;
  }
}

/** Whether NAME or NAME_FILE is given at all, even when reading it failed (that has its own problem line). */
export const isGiven = (reader: EnvReader, name: string): boolean => given(reader.env[name]) || given(reader.env[`${name}_FILE`]);

/** A plain (non-secret) setting, recorded as set so the doctor can list it. */
export function readPlain(reader: EnvReader, name: string): string | undefined {
  const value = reader.env[name];
  if (!given(value)) return undefined;
  reader.sources[name] = { from: 'env' };
  return value;
}

/** `true`/`false`/`1`/`0`, or undefined when not set; anything else is a problem. */
export function readBoolean(reader: EnvReader, name: string): boolean | undefined {
  const value = readPlain(reader, name);
  if (value === undefined) return undefined;
  if (['true', '1'].includes(value.toLowerCase())) return true;
  if (['false', '0'].includes(value.toLowerCase())) return false;
  reader.problems.push(`${name} must be true or false (got ${JSON.stringify(value)})`);
  return undefined;
}
