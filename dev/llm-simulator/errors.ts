// Typed errors of the LLM simulator. A request error carries what the HTTP layer needs to answer in
// the wire format of the route it came in on; the others say which option, file or part of a
// schema is at fault.

/**
 * A request the simulator refuses, answered as HTTP `status` with an error body in the wire format
 * of its route (OpenAI's or Anthropic's); the status decides the error type each format reports.
 */
export class LlmSimulatorRequestError extends Error {
  override name = 'LlmSimulatorRequestError';
  readonly status: number;
  /** The request field at fault, as OpenAI reports it (`messages`, `response_format`), or null. */
  readonly param: string | null;
  readonly code: string | null;

  constructor(message: string, opts: { status?: number; param?: string | null; code?: string | null; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.status = opts.status ?? 400;
    this.param = opts.param ?? null;
    this.code = opts.code ?? null;
  }
}

/**
 * A JSON schema no instance can satisfy (or one the generator cannot satisfy); `instancePath` is
 * where in the instance it gave up, as a JSON pointer (`/tags/0`, empty for the root).
 */
export class UnsatisfiableSchemaError extends Error {
  override name = 'UnsatisfiableSchemaError';
  readonly instancePath: string;

  constructor(instancePath: string, reason: string) {
    super(`Cannot generate a JSON instance at ${instancePath || 'the root'}: ${reason}; loosen the schema there`);
    this.instancePath = instancePath;
  }
}

/** A `pattern` using regex features the simulator does not generate from (lookarounds, back-references). */
export class UnsupportedPatternError extends Error {
  override name = 'UnsupportedPatternError';
}

/** An invalid option given to `startLlmSimulator` or to the standalone entry. */
export class LlmSimulatorConfigError extends Error {
  override name = 'LlmSimulatorConfigError';
  readonly option: string;
  readonly value: unknown;

  constructor(option: string, value: unknown, expected: string) {
    super(`LLM simulator option ${option} is ${JSON.stringify(value)}; ${expected}`);
    this.option = option;
    this.value = value;
  }
}

/** A fixtures file that cannot be read, parsed or written; `path` is the file at fault. */
export class LlmSimulatorFixtureError extends Error {
  override name = 'LlmSimulatorFixtureError';
  readonly path: string;

  constructor(path: string, problem: string, opts: { cause?: unknown } = {}) {
    super(`LLM simulator fixtures ${path}: ${problem}`, { cause: opts.cause });
    this.path = path;
  }
}

/** Flags the standalone simulator does not take (unknown, missing their value, or stray arguments). */
export class LlmSimulatorUsageError extends Error {
  override name = 'LlmSimulatorUsageError';

  constructor(problem: string, opts: { cause?: unknown } = {}) {
    super(`LLM simulator: ${problem.replace(/\.$/, '')}; every flag takes a value (e.g. --seed 7), \`kta simulator --help\` lists them`, { cause: opts.cause });
  }
}
