// Starts and stops an LLM simulator: an HTTP server on node:http that speaks the OpenAI Chat
// Completions and Anthropic Messages wire formats and answers stochastically from a seed, with
// faults, a rate limit and fixtures on demand. It is test and demo infrastructure; any real
// endpoint replaces it through configuration.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LlmSimulatorRequestError } from './errors';
import type { Fixtures } from './fixtures';
import { errorReply, requestSignal, sendReply, serverErrorReply } from './http-io';
import { dispatch } from './routes';
import { resolveOptions, resolveSettings, type LlmSimulatorOptions, type LlmSimulatorSettings, type RuntimeSettings } from './simulator-options';
import { SimulatorState } from './simulator-state';
import type { LoggedRequest, Stats } from './stats';

export { DEFAULT_HOST, DEFAULT_SEED, type LlmSimulatorOptions, type LlmSimulatorSettings, type RuntimeSettings } from './simulator-options';

export interface LlmSimulator {
  /** `http://127.0.0.1:PORT`, also the `baseURL` for the `@anthropic-ai/sdk` client. */
  url: string;
  /** `url + '/v1'`, the `baseURL` for the `openai` client. */
  baseUrl: string;
  port: number;
  /** The current seed (changed by a reset with a seed). */
  seed(): number;
  stats(): Stats;
  /** The last `limit` requests received (all kept ones when omitted), oldest first. */
  requests(limit?: number): LoggedRequest[];
  /** Zeroes counters, request log, call sequences, rate window and fixture cursors; re-seeds when `seed` is given. */
  reset(opts?: { seed?: number }): void;
  /**
   * Changes latency and fault settings from the next call on; settings left out keep their value,
   * and the fault limit counts again from zero. Throws LlmSimulatorConfigError, changing nothing.
   */
  configure(settings: LlmSimulatorSettings): RuntimeSettings;
  /** The latency and fault settings in force. */
  settings(): RuntimeSettings;
  /** What record mode has kept so far (empty without `record`), as a fixtures map. */
  recording(): Fixtures;
  /**
   * Stops listening, cuts open connections and abandons pending answers (hung `timeout` calls
   * included), then writes the recording when `record` is set.
   */
  close(): Promise<void>;
}

async function respond(req: IncomingMessage, res: ServerResponse, state: SimulatorState): Promise<void> {
  const signal = requestSignal(res, state.closing.signal);
  try {
    sendReply(res, await dispatch(req, state, signal));
  } catch (error) {
    // A closing simulator, or a client that left, gets nothing: the connection is cut.
    if (signal.aborted) {
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
  const config = await resolveOptions(opts);
  const { port, host } = config;
  const state = new SimulatorState(config);
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
    configure: (settings) => {
      state.configure(resolveSettings(settings, state.settings));
      return structuredClone(state.settings);
    },
    settings: () => structuredClone(state.settings),
    recording: () => state.recorder?.fixtures() ?? {},
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        state.closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections of the SDKs would otherwise hold close() open.
        server.closeAllConnections();
      }).then(() => state.recorder?.write());
      return closed;
    },
  };
}
