// The jars of one Kafka broker, resolved once per machine from Maven Central by dev/kafka/pom.xml
// (there is no Kafka distribution download we may use here).
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './cache';
import { ToolMissingError, ToolPrepareError } from './errors';
import { findOnPath } from './find-on-path';
import { type StackLog, stderrLog } from './log';
import { runCommand } from './run-command';

export const KAFKA_VERSION = '3.9.1';

// Written last into a finished jar directory. A directory without it is a copy that was interrupted
// (or made by an older tool) and is resolved again rather than trusted.
const COMPLETE_MARKER = '.complete';
const POM_DIR = fileURLToPath(new URL('../kafka/', import.meta.url));

export function kafkaLibsDir(): string {
  return path.join(cacheDir(), `kafka-${KAFKA_VERSION}`, 'libs');
}

export function kafkaJarsReady(libsDir = kafkaLibsDir()): boolean {
  return existsSync(path.join(libsDir, COMPLETE_MARKER));
}

/** Returns the directory holding the broker's jars, resolving them with Maven when missing. */
export async function ensureKafkaJars(log: StackLog = stderrLog): Promise<string> {
  const libsDir = kafkaLibsDir();
  if (kafkaJarsReady(libsDir)) return libsDir;

  if (!findOnPath('java')) {
    throw new ToolMissingError('java', `to run the Kafka ${KAFKA_VERSION} broker`,
      'Install a Java 17+ runtime (Debian/Ubuntu: apt-get install openjdk-17-jre-headless).');
  }
  const mvn = findOnPath('mvn');
  if (!mvn) {
    throw new ToolMissingError('mvn', `to resolve the Kafka ${KAFKA_VERSION} jars from Maven Central`,
      'Install Maven (Debian/Ubuntu: apt-get install maven).');
  }

  const partialDir = `${libsDir}.partial-${process.pid}-${Date.now()}`;
  const args = ['-q', '-B', '-Dstyle.color=never', 'dependency:copy-dependencies', `-DoutputDirectory=${partialDir}`, '-DincludeScope=runtime'];
  log(`resolving the Kafka ${KAFKA_VERSION} jars with Maven into ${libsDir} (about 35 s, once per machine)`);
  const startedAt = Date.now();
  try {
    await mkdir(partialDir, { recursive: true });
    const onLine = (line: string): void => {
      // Some Maven versions print bare colour resets even in batch mode; only real text is progress.
      const text = line.replace(/\x1b\[[0-9;]*m/g, '').trim();
      if (text) log(`mvn: ${text}`);
    };
    const result = await runCommand(mvn, args, { cwd: POM_DIR, onLine });
    const jars = (await readdir(partialDir)).filter((name) => name.endsWith('.jar'));
    if (result.code !== 0 || !jars.some((name) => name.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
      throw new ToolPrepareError(`the Kafka ${KAFKA_VERSION} jars`, `(cd ${POM_DIR} && mvn ${args.join(' ')})`, result.code, result.tail(30),
        'Check that Maven can reach Maven Central (proxies go in ~/.m2/settings.xml), then retry.');
    }
    await writeFile(path.join(partialDir, COMPLETE_MARKER), `${jars.length} jars\n`);
    // Swap the finished directory in. What is there without the marker is an interrupted copy; what
    // is there with it was finished by another process meanwhile and is as good as ours.
    if (!kafkaJarsReady(libsDir)) {
      await rm(libsDir, { recursive: true, force: true });
      try {
        await rename(partialDir, libsDir);
      } catch (error) {
        if (!kafkaJarsReady(libsDir)) throw error;
      }
    }
    log(`resolved ${jars.length} Kafka jars in ${Math.round((Date.now() - startedAt) / 1000)} s`);
  } finally {
    await rm(partialDir, { recursive: true, force: true });
  }
  return libsDir;
}
