// The last lines of a service log, quoted in start-up errors so the reason is visible without
// opening the file.
import { open } from 'node:fs/promises';

// Enough for ~20 long log4j or Go log lines; reading the whole file could mean megabytes.
const TAIL_WINDOW_BYTES = 64 * 1024;

/** The last `lines` lines of `file`, or '' when it does not exist yet. */
export async function tailLines(file: string, lines = 20): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_WINDOW_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } finally {
    await handle.close();
  }
}
