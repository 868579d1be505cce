// `kta produce <topic>`: one record per line of JSON read from a file or stdin (ops/produce-records.ts).
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config';
import { ConfigError } from '../errors';
import { produceRecords } from '../ops/produce-records';

/** Splits at newline bytes, keeping each line's bytes as they are. */
function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  for (let start = 0; start <= bytes.length; ) {
    const end = bytes.indexOf(0x0a, start);
    lines.push(bytes.subarray(start, end < 0 ? bytes.length : end));
    if (end < 0) break;
    start = end + 1;
  }
  return lines;
}

/** The records' lines, from --file or stdin; an unreadable file is one line saying so. */
function readLines(file: string | undefined): Buffer[] {
  try {
    return splitLines(readFileSync(file ?? 0));
  } catch (err) {
    throw new ConfigError([`--file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}; give a file of JSON lines, or pipe them on stdin`]);
  }
}

export async function produceCommand(topic: string, opts: { file?: string; keyField?: string }): Promise<void> {
  const { kafka } = loadConfig();
  const text = readLines(opts.file);
  const report = await produceRecords(kafka, topic, text, opts.keyField);
  const bad = report.notJsonLines;
  const warn = bad.length ? ` (${bad.length === 1 ? `line ${bad[0]} is` : `lines ${bad.join(', ')} are`} not JSON: the bridge will dead-letter ${bad.length === 1 ? 'it' : 'them'})` : '';
  console.log(`produced ${report.records} record${report.records === 1 ? '' : 's'} to ${topic}${warn}`);
}
