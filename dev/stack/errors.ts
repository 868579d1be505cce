// Typed failures of the local stack. Each message says what failed, where to look (the log file and
// its last lines) and how to fix it, so a red test run or `kta stack up` explains itself.

/** Base class: catch this to handle any failure of the local stack. */
export class StackError extends Error {
  override name = 'StackError';
}

/** A program the stack needs (java, mvn, go) is not installed. */
export class ToolMissingError extends StackError {
  override name = 'ToolMissingError';
  constructor(
    readonly tool: string,
    readonly neededFor: string,
    readonly installHint: string,
  ) {
    super(`\`${tool}\` was not found on PATH; it is needed ${neededFor}. ${installHint}`);
  }
}

/** A start function was called before the tool it runs was prepared (built or downloaded). */
export class ToolNotPreparedError extends StackError {
  override name = 'ToolNotPreparedError';
  constructor(
    readonly tool: string,
    readonly expectedPath: string,
    readonly prepareWith: string,
  ) {
    super(`${tool} is not ready at ${expectedPath}; call ${prepareWith} first (startStack does this for you)`);
  }
}

/** Building or downloading a tool failed: the command, its exit and its last output lines. */
export class ToolPrepareError extends StackError {
  override name = 'ToolPrepareError';
  constructor(
    readonly tool: string,
    readonly command: string,
    readonly exitCode: number | null,
    readonly outputTail: string,
    readonly fixHint: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Preparing ${tool} failed: \`${command}\` exited with ${exitCode ?? 'a signal'}. ${fixHint}\n` +
        `Last output lines:\n${outputTail || '(no output)'}`,
      options,
    );
  }
}

/** A service did not become ready within its start timeout. */
export class ServiceStartTimeoutError extends StackError {
  override name = 'ServiceStartTimeoutError';
  constructor(
    readonly service: string,
    readonly timeoutMs: number,
    readonly waitingFor: string,
    readonly logFile: string,
    readonly logTail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${service} did not become ready within ${timeoutMs} ms (waiting for ${waitingFor}). ` +
        `Read ${logFile}; on a slow or busy machine raise the start timeout.\n` +
        `Last log lines:\n${logTail || '(log is empty)'}`,
      options,
    );
  }
}

/** A port a service should listen on is taken, most often by a stack left running. */
export class PortInUseError extends StackError {
  override name = 'PortInUseError';
  constructor(
    readonly service: string,
    readonly port: number,
  ) {
    super(
      `Port 127.0.0.1:${port} for ${service} is already in use; stop what holds it (a stack left running: ` +
        `\`kta stack down\`, or \`ss -ltnp 'sport = :${port}'\` to find it) or choose another port`,
    );
  }
}

/** A service process exited while the stack was waiting for it to become ready. */
export class ServiceExitedError extends StackError {
  override name = 'ServiceExitedError';
  constructor(
    readonly service: string,
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly logFile: string,
    readonly logTail: string,
  ) {
    super(
      `${service} exited during start-up (${exitCode === null ? `signal ${signal}` : `code ${exitCode}`}). ` +
        `Read ${logFile} for the reason (a port already in use or a corrupt data directory are common).\n` +
        `Last log lines:\n${logTail || '(log is empty)'}`,
    );
  }
}

/** The Temporal namespace could not be configured (retention) after the server started. */
export class TemporalNamespaceError extends StackError {
  override name = 'TemporalNamespaceError';
  constructor(
    readonly namespace: string,
    readonly retentionHours: number,
    readonly detail: string,
  ) {
    super(
      `Setting the retention of Temporal namespace ${namespace} to ${retentionHours}h failed: ${detail}. ` +
        `Check the retentionHours option and the server log.`,
    );
  }
}

/** PostgreSQL could not be prepared or started. */
export class PostgresStartError extends StackError {
  override name = 'PostgresStartError';
  constructor(
    readonly dataDir: string,
    readonly port: number,
    readonly logFile: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`PostgreSQL on 127.0.0.1:${port} (data ${dataDir}) failed to start: ${detail}. Read ${logFile}.`, options);
  }
}

/** One or more services of the stack failed to start; the others were stopped again. */
export class StackStartError extends StackError {
  override name = 'StackStartError';
  constructor(readonly failures: ReadonlyArray<{ service: string; error: unknown }>) {
    super(
      `The local stack failed to start; the services that did start were stopped again.\n` +
        failures.map((f) => `- ${f.service}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('\n'),
      { cause: failures[0]?.error },
    );
  }
}

/** The stack file that tells other commands where a running stack lives is missing or invalid. */
export class StackFileError extends StackError {
  override name = 'StackFileError';
  constructor(
    readonly path: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`Stack file ${path} ${problem}; start the stack with \`kta stack up\` (it writes this file) and retry`, options);
  }
}

/** A Kafka cluster ID given to the stack is not one StorageTool accepts. */
export class KafkaClusterIdError extends StackError {
  override name = 'KafkaClusterIdError';
  constructor(
    readonly clusterId: string,
    readonly problem: string,
  ) {
    super(`Kafka cluster ID "${clusterId}" ${problem}; leave the clusterId option out to draw a valid one`);
  }
}

/** `openssl` failed while making the local stack's throwaway certificates. */
export class CertificateGenerationError extends StackError {
  override name = 'CertificateGenerationError';
  constructor(
    readonly dir: string,
    readonly command: string,
    readonly outputTail: string,
  ) {
    super(
      `Making the local TLS certificates in ${dir} failed: \`${command}\`. Check that ${dir} is writable and that ` +
        `\`openssl version\` reports OpenSSL 1.1.1 or newer (it needs -addext).\nLast output lines:\n${outputTail || '(no output)'}`,
    );
  }
}

/** A stack option given a value the local services cannot take, or a set-up step of that option failed. */
export class StackConfigError extends StackError {
  override name = 'StackConfigError';
  constructor(
    readonly subject: string,
    problem: string,
  ) {
    super(`${subject}: ${problem}`);
  }
}

/** The Temporal server's SQL tool failed to create or migrate one of its databases. */
export class TemporalSchemaError extends StackError {
  override name = 'TemporalSchemaError';
  constructor(
    readonly database: string,
    readonly command: string,
    readonly exitCode: number | null,
    readonly outputTail: string,
  ) {
    super(
      `Preparing the Temporal database ${database} failed: \`${command}\` exited with ${exitCode ?? 'a signal'}. ` +
        `Check that PostgreSQL is up and that its user may create databases; a database left by another Temporal version needs dropping first.\n` +
        `Last output lines:\n${outputTail || '(no output)'}`,
    );
  }
}

/** The PostgreSQL-backed Temporal server started but its namespace or search attributes could not be registered. */
export class TemporalSetupError extends StackError {
  override name = 'TemporalSetupError';
  constructor(
    readonly namespace: string,
    readonly step: string,
    readonly detail: string,
  ) {
    super(`Registering ${step} in Temporal namespace ${namespace} failed: ${detail}. Read the server log; the names and types must match workflows/search-attributes.ts.`);
  }
}

/** startStack was given options that cannot go together. */
export class StackOptionError extends StackError {
  override name = 'StackOptionError';
  constructor(
    readonly option: string,
    readonly problem: string,
  ) {
    super(`Stack option ${option}: ${problem}`);
  }
}

/** A service the demo started (worker, bridge) exited while the demo still needed it. */
export class DemoServiceExitedError extends StackError {
  override name = 'DemoServiceExitedError';
  constructor(
    readonly service: string,
    readonly pid: number,
    readonly logFile: string,
    readonly waitingFor: string,
    readonly logTail: string,
  ) {
    super(`The demo's ${service} (pid ${pid}) exited while the demo waited for ${waitingFor}. The end of its log ${logFile}:\n${logTail}`);
  }
}
