// A class-data-sharing archive for the broker JVM: the first broker records the classes it loaded
// into an archive when it exits, and later brokers map that archive instead of loading and verifying
// the same classes again, which is most of a broker's start on two cores.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { ExitInfo } from './process';

export interface ClassCache {
  /** JVM options: use the archive when there is one, otherwise record one at exit. */
  readonly jvmArgs: string[];
  /** Whether the archive exists already (for tools that should not record one, like StorageTool). */
  readonly ready: boolean;
  /** Call once the recording JVM has exited: keeps the archive it wrote, if it wrote a whole one. */
  keepRecording(exit: ExitInfo): Promise<void>;
}

/**
 * The archive only fits the JVM build and the exact jars it was recorded with (the JVM checks both
 * and silently runs without an archive that does not fit), so its name carries a fingerprint of
 * the java binary and of the jar directory.
 */
export function classCache(java: string, libsDir: string): ClassCache {
  const javaBinary = realpathSync(java);
  const fingerprint = createHash('sha256')
    .update([javaBinary, statSync(javaBinary).mtimeMs, statSync(javaBinary).size, libsDir, statSync(libsDir).mtimeMs].join('\n'))
    .digest('hex')
    .slice(0, 16);
  const archive = path.join(path.dirname(libsDir), `broker-classes-${fingerprint}.jsa`);
  if (existsSync(archive)) {
    return { jvmArgs: [`-XX:SharedArchiveFile=${archive}`], ready: true, keepRecording: async () => undefined };
  }
  // Recorded under a private name and renamed once the JVM has exited: a broker killed while
  // writing it must not leave a truncated archive under the name the next broker trusts.
  const recording = `${archive}.recording-${process.pid}-${Date.now()}`;
  return {
    jvmArgs: [`-XX:ArchiveClassesAtExit=${recording}`],
    ready: false,
    keepRecording: async (exit) => {
      try {
        // A JVM killed by a signal may have died halfway through writing the archive.
        const whole = exit.signal === null && existsSync(recording) && statSync(recording).size > 0;
        if (whole) await rename(recording, archive);
      } finally {
        await rm(recording, { force: true });
      }
    },
  };
}
