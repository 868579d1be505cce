// Where built and downloaded tools live (the Temporal CLI binary, the Kafka jars). Shared by every
// checkout and every run on the machine, because building them costs minutes.
import os from 'node:os';
import path from 'node:path';

/** The tools cache: KTA_CACHE_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/kafka-temporal-agents. */
export function cacheDir(): string {
  const override = process.env.KTA_CACHE_DIR;
  if (override) return path.resolve(override);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'kafka-temporal-agents');
}
