// The shared start-up wait of every service process: poll a readiness check, fail at once with the
// log tail if the process dies, fail with the log tail if the time runs out.
import { PortInUseError, ServiceExitedError, ServiceStartTimeoutError } from './errors';
import { tailLines } from './log-tail';
import type { ServiceProcess } from './process';
import { canConnect, pollUntil } from './wait';

export const READY_POLL_INTERVAL_MS = 250;

export interface ReadyWait {
  /** Human name used in errors: 'Kafka', 'Temporal'. */
  service: string;
  /** What readiness means, for the timeout error: 'admin listTopics on 127.0.0.1:9092'. */
  waitingFor: string;
  timeoutMs: number;
  check: () => Promise<boolean>;
}

/** Resolves once `check` passes; otherwise stops the process and throws a typed error naming its log. */
export async function waitUntilReady(proc: ServiceProcess, wait: ReadyWait): Promise<void> {
  const abortIf = async (): Promise<void> => {
    const exit = proc.exitInfo();
    if (exit) throw new ServiceExitedError(wait.service, exit.code, exit.signal, proc.logFile, await tailLines(proc.logFile));
  };
  let ready: boolean;
  try {
    ready = await pollUntil(wait.check, { timeoutMs: wait.timeoutMs, intervalMs: READY_POLL_INTERVAL_MS, abortIf });
  } catch (error) {
    await proc.stop();
    throw error;
  }
  if (!ready) {
    // Read the log before stopping: its last lines should show where start-up was stuck, not the
    // shutdown we cause.
    const logTail = await tailLines(proc.logFile);
    await proc.stop();
    throw new ServiceStartTimeoutError(wait.service, wait.timeoutMs, wait.waitingFor, proc.logFile, logTail);
  }
}

/**
 * Refuses to start on a port that already answers: the readiness check would otherwise talk to the
 * old process (a stack left running) and report success for a service that never bound its port.
 */
export async function assertPortsFree(service: string, ports: number[]): Promise<void> {
  for (const port of ports) {
    if (await canConnect('127.0.0.1', port, 500)) throw new PortInUseError(service, port);
  }
}
