// Starts and stops an LLM simulator: an OpenAI-compatible HTTP server on node:http that answers
// stochastically from a seed. It is test and demo infrastructure; any real endpoint replaces it
// through configuration.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LlmSimulatorConfigError, LlmSimulatorRequestError } from './errors';
import { errorReply, sendReply, serverErrorReply } from './http-io';
import { LATENCY_MAX_MS } from './latency';
import { dispatch } from './routes';
import { SimulatorState } from './simulator-state';
import type { LoggedRequest, Stats } from './stats';

export interface LlmSimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default: the simulator has no authentication. */
  host?: string;
  /** The same seed and the same sequence of calls give the same answers. */
  seed?: number;
  /** Delay before every answer, unless a request overrides it with `x-simulator-latency-ms`. */
  latencyMs?: number;
}

export interface LlmSimulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `url + '/v1'`, the `baseURL` for the `openai` client. */
  baseUrl: string;
  port: number;
  /** The current seed (changed by a reset with a seed). */
  seed(): number;
  stats(): Stats;
  /** The last `limit` requests received (all kept ones when omitted), oldest first. */
  requests(limit?: number): LoggedRequest[];
  /** Zeroes counters, request log and call sequence; re-seeds when `seed` is given. */
  reset(opts?: { seed?: number }): void;
  /** Stops listening, cuts open connections and abandons pending answers. */
  close(): Promise<void>;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_HOST = '127.0.0.1';

function checkOptions(opts: LlmSimulatorOptions): Required<LlmSimulatorOptions> {
  const port = opts.port ?? 0;
  const seed = opts.seed ?? DEFAULT_SEED;
  const latencyMs = opts.latencyMs ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LlmSimulatorConfigError('port', port, 'use 0 (any free port) to 65535');
  if (!Number.isSafeInteger(seed)) throw new LlmSimulatorConfigError('seed', seed, 'use a whole number');
  if (!Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > LATENCY_MAX_MS) {
    throw new LlmSimulatorConfigError('latencyMs', latencyMs, `use 0 to ${LATENCY_MAX_MS} milliseconds`);
  }
  return { port, seed, latencyMs, host: opts.host ?? DEFAULT_HOST };
}

async function respond(req: IncomingMessage, res: ServerResponse, state: SimulatorState): Promise<void> {
  try {
    sendReply(res, await dispatch(req, state));
  } catch (error) {
    // A closing simulator abandons pending answers: the connection is cut, nothing is sent.
    if (state.closing.signal.aborted) {
      res.destroy();
      return;
    }
    if (error instanceof LlmSimulatorRequestError) {
      sendReply(res, errorReply(error));
      return;
    }
    console.error('llm-simulator: unexpected error', error);
    sendReply(res, serverErrorReply(error));
  }
}

export async function startLlmSimulator(opts: LlmSimulatorOptions = {}): Promise<LlmSimulator> {
  const { port, host, seed, latencyMs } = checkOptions(opts);
  const state = new SimulatorState(seed, latencyMs);
  const server = createServer((req, res) => {
    void respond(req, res, state);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const bound = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  let closed: Promise<void> | undefined;
  return {
    url,
    baseUrl: `${url}/v1`,
    port: bound,
    seed: () => state.seed,
    stats: () => state.ledger.stats(),
    requests: (limit) => state.ledger.requests(limit),
    reset: (resetOpts) => state.reset(resetOpts?.seed),
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        state.closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections of the openai client would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
