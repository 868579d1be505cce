// The LLM simulator's faults, tool calls, Anthropic route, rate limit, counters and fixtures are
// what the gateway's failure handling is tested against, so each promise is tested here over real
// HTTP: with the official openai client on the OpenAI route, and with fetch speaking the exact
// Anthropic Messages wire format on the Anthropic route. Every injected fault is also counted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { z } from 'zod';
import {
  anthropicPromptHash,
  DEFAULT_RETRY_AFTER_S,
  ERROR_STATUS_HEADER,
  FAULT_HEADER,
  FAULT_NAMES,
  LATENCY_SPEC_HEADER,
  LlmSimulatorConfigError,
  LlmSimulatorFixtureError,
  promptHash,
  RETRY_AFTER_HEADER,
  startLlmSimulator,
  type FaultName,
  type LlmSimulator,
  type LlmSimulatorOptions,
  type ServedFault,
  type Stats,
} from '../dev/llm-simulator/index';
import { parseStandaloneOptions } from '../dev/llm-simulator/standalone-options';
import { waitFor } from './helpers/wait-for';

const ReviewTags = z.object({
  tags: z.array(z.string()).min(1).max(5),
  sentiment: z.enum(['positive', 'neutral', 'negative']),
});
const reviewTagsSchema = z.toJSONSchema(ReviewTags) as Record<string, unknown>;
const reviewTagsFormat = { type: 'json_schema' as const, json_schema: { name: 'review_tags', schema: reviewTagsSchema, strict: true } };

const GetWeather = z.strictObject({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']), days: z.int().min(1).max(7).optional() });
const BookTable = z.strictObject({ restaurant: z.string(), guests: z.int().min(1).max(12) });
const toolSchemas: Record<string, z.ZodObject> = { get_weather: GetWeather, book_table: BookTable };

// A hallucinating model invents an argument: a key the tool's schema does not define.
function assertHallucinated(schema: z.ZodObject, args: unknown): void {
  assert.equal(schema.safeParse(args).success, false, `expected arguments that fail the schema, got ${JSON.stringify(args)}`);
  const invented = Object.keys(args as object).filter((key) => !(key in schema.shape));
  assert.ok(invented.length > 0, `expected an invented argument in ${JSON.stringify(args)}`);
}
const tools: OpenAI.ChatCompletionFunctionTool[] = [
  { type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: z.toJSONSchema(GetWeather) as Record<string, unknown> } },
  { type: 'function', function: { name: 'book_table', parameters: z.toJSONSchema(BookTable) as Record<string, unknown> } },
];

// Long enough for loopback, short enough to keep the suite quick; the timeout fault never answers.
// Long enough that a loaded two-core machine answers every non-faulted call in time; the timeout fault never answers.
const CLIENT_TIMEOUT_MS = 3_000;
const ANTHROPIC_VERSION = '2023-06-01';

const reviewPrompt = (text: string): OpenAI.ChatCompletionMessageParam[] => [
  { role: 'system', content: 'Tag the product review. Answer with JSON.' },
  { role: 'user', content: text },
];

async function simulator(t: TestContext, opts: LlmSimulatorOptions = {}): Promise<{ sim: LlmSimulator; client: OpenAI }> {
  const sim = await startLlmSimulator({ port: 0, ...opts });
  t.after(() => sim.close());
  return { sim, client: new OpenAI({ apiKey: 'simulator', baseURL: sim.baseUrl, maxRetries: 0 }) };
}

async function tagReview(client: OpenAI, headers?: Record<string, string>, text = 'The battery died after two days.'): Promise<string> {
  const completion = await client.chat.completions.create(
    { model: 'sim-model', messages: reviewPrompt(text), response_format: reviewTagsFormat },
    { headers, timeout: CLIENT_TIMEOUT_MS },
  );
  return completion.choices[0].message.content ?? '';
}

async function callTools(client: OpenAI, toolChoice: OpenAI.ChatCompletionToolChoiceOption | undefined, headers?: Record<string, string>): Promise<OpenAI.ChatCompletion> {
  return client.chat.completions.create(
    { model: 'sim-model', messages: [{ role: 'user', content: 'Weather in Lisbon tomorrow, then a table for two.' }], tools, tool_choice: toolChoice },
    { headers, timeout: CLIENT_TIMEOUT_MS },
  );
}

const onlyFault = (fault: ServedFault, count: number): Record<ServedFault, number> => ({
  ...(Object.fromEntries([...FAULT_NAMES, 'rate-limiter'].map((name) => [name, 0])) as Record<ServedFault, number>),
  [fault]: count,
});

function assertRejectsAs<E extends Error>(promise: Promise<unknown>, errorClass: new (...args: never[]) => E, check: (error: E) => void = () => {}): Promise<void> {
  return assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`);
    check(error);
    return true;
  });
}

// One request that must meet the fault, and the assertions that prove it did. Shared by the
// header-aimed and the configured tests, so both prove the same effect.
const openAiFaultProbes: Record<FaultName, (client: OpenAI, headers?: Record<string, string>) => Promise<void>> = {
  'rate-limit': (client, headers) =>
    assertRejectsAs(tagReview(client, headers), OpenAI.RateLimitError, (error) => {
      assert.equal(error.status, 429);
      assert.equal(error.headers.get('retry-after'), String(DEFAULT_RETRY_AFTER_S));
      assert.equal(error.code, 'rate_limit_exceeded');
      assert.match(error.message, /injected rate-limit fault/);
    }),
  timeout: (client, headers) => assertRejectsAs(tagReview(client, headers), OpenAI.APIConnectionTimeoutError),
  'server-error': (client, headers) =>
    assertRejectsAs(tagReview(client, headers), OpenAI.InternalServerError, (error) => {
      assert.ok([500, 502, 503].includes(error.status), `unexpected status ${error.status}`);
      assert.equal(error.type, 'server_error');
    }),
  'malformed-json': async (client, headers) => {
    const content = await tagReview(client, headers);
    assert.throws(() => JSON.parse(content), SyntaxError, `expected content that is not JSON, got ${content}`);
  },
  'wrong-fields': async (client, headers) => {
    const content = await tagReview(client, headers);
    const result = ReviewTags.safeParse(JSON.parse(content));
    assert.equal(result.success, false, `expected content that fails the schema, got ${content}`);
  },
  'bad-tool-args': async (client, headers) => {
    const completion = await callTools(client, 'auto', headers);
    const [call] = completion.choices[0].message.tool_calls ?? [];
    assert.ok(call?.type === 'function', 'expected a function tool call');
    assert.equal(completion.choices[0].finish_reason, 'tool_calls');
    assertHallucinated(toolSchemas[call.function.name], JSON.parse(call.function.arguments));
  },
};

const expectedStatus: Record<FaultName, (status: number | null) => boolean> = {
  'rate-limit': (status) => status === 429,
  timeout: (status) => status === null,
  'server-error': (status) => status !== null && status >= 500,
  'malformed-json': (status) => status === 200,
  'wrong-fields': (status) => status === 200,
  'bad-tool-args': (status) => status === 200,
};

async function cleanReview(client: OpenAI, headers?: Record<string, string>): Promise<void> {
  ReviewTags.parse(JSON.parse(await tagReview(client, headers)));
}

for (const fault of FAULT_NAMES) {
  void test(`serves ${fault} only to the request whose x-simulator-fault header names it, and counts it`, async (t) => {
    const { sim, client } = await simulator(t, { seed: 21 });
    await cleanReview(client);
    await openAiFaultProbes[fault](client, { [FAULT_HEADER]: fault });
    await cleanReview(client);

    const stats = sim.stats();
    assert.deepEqual(stats.faults, onlyFault(fault, 1));
    assert.equal(stats.calls, 3);
    const faulted = sim.requests().filter((entry) => entry.fault !== null);
    assert.equal(faulted.length, 1);
    assert.equal(faulted[0].fault, fault);
    assert.equal(faulted[0].wireFormat, 'openai');
    assert.ok(expectedStatus[fault](faulted[0].status), `logged status ${faulted[0].status} does not fit ${fault}`);
    assert.ok(faulted[0].faultDetail, 'a served fault says what it did');
  });

  void test(`serves ${fault} on every call when configured, unless a request sends x-simulator-fault: none`, async (t) => {
    const { sim, client } = await simulator(t, { seed: 22, faults: [fault] });
    await openAiFaultProbes[fault](client);
    await openAiFaultProbes[fault](client);
    await cleanReview(client, { [FAULT_HEADER]: 'none' });
    assert.deepEqual(sim.stats().faults, onlyFault(fault, 2));
  });
}

void test('sends the Retry-After a request asks for, or none, on an injected 429', async (t) => {
  const { client } = await simulator(t);
  await assertRejectsAs(tagReview(client, { [FAULT_HEADER]: 'rate-limit', [RETRY_AFTER_HEADER]: '7' }), OpenAI.RateLimitError, (error) => {
    assert.equal(error.headers.get('retry-after'), '7');
    assert.equal(error.headers.get('retry-after-ms'), '7000');
  });
  await assertRejectsAs(tagReview(client, { [FAULT_HEADER]: 'rate-limit', [RETRY_AFTER_HEADER]: 'none' }), OpenAI.RateLimitError, (error) => {
    assert.equal(error.headers.get('retry-after'), null);
  });
  await assertRejectsAs(tagReview(client, { [FAULT_HEADER]: 'server-error', [ERROR_STATUS_HEADER]: '503' }), OpenAI.InternalServerError, (error) => {
    assert.equal(error.status, 503);
  });
});

void test('fires configured faults at most faultLimit times, counting again after configure(), while header-aimed faults ignore the limit', async (t) => {
  const { sim, client } = await simulator(t, { faults: ['server-error'], faultLimit: 2 });
  await openAiFaultProbes['server-error'](client);
  await openAiFaultProbes['server-error'](client);
  await cleanReview(client);
  await openAiFaultProbes['rate-limit'](client, { [FAULT_HEADER]: 'rate-limit' });
  assert.deepEqual([sim.stats().faults['server-error'], sim.stats().faults['rate-limit']], [2, 1]);

  assert.deepEqual(sim.configure({ faults: ['malformed-json'], faultLimit: 1 }).faults, {
    faults: ['malformed-json'],
    faultRate: 1,
    faultLimit: 1,
    retryAfterS: DEFAULT_RETRY_AFTER_S,
    serverErrorStatuses: [500, 502, 503],
  });
  await openAiFaultProbes['malformed-json'](client);
  await cleanReview(client);
  assert.equal(sim.stats().faults['malformed-json'], 1);
  assert.throws(() => sim.configure({ faultRate: -1 }), LlmSimulatorConfigError);
  assert.deepEqual(sim.settings().faults.faults, ['malformed-json'], 'a refused configure() changes nothing');
});

void test('changes faults and latency at run time over POST /simulator/config, refusing unknown or impossible settings', async (t) => {
  const { sim, client } = await simulator(t);
  const post = async (body: unknown): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${sim.url}/simulator/config`, { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  const changed = await post({ faults: ['rate-limit'], retryAfterS: 4, latency: 'uniform:minMs=1,maxMs=5' });
  assert.equal(changed.status, 200);
  assert.deepEqual(changed.body, sim.settings());
  assert.deepEqual(sim.settings().latency, { kind: 'uniform', minMs: 1, maxMs: 5 });
  await assertRejectsAs(tagReview(client), OpenAI.RateLimitError, (error) => assert.equal(error.headers.get('retry-after'), '4'));

  const unknown = await post({ faultz: ['timeout'] });
  assert.equal(unknown.status, 400);
  assert.match(JSON.stringify(unknown.body), /Unknown setting faultz/);
  const impossible = await post({ faultRate: 3 });
  assert.equal(impossible.status, 400);
  assert.match(JSON.stringify(impossible.body), /faultRate is 3; expected a probability from 0 to 1/);

  assert.equal((await post({ faults: [] })).status, 200);
  await cleanReview(client);
  assert.deepEqual(await (await fetch(`${sim.url}/simulator/config`)).json(), sim.settings());
});

void test('refuses an unknown fault name in the header with a 400 that takes no call', async (t) => {
  const { sim, client } = await simulator(t);
  await assertRejectsAs(tagReview(client, { [FAULT_HEADER]: 'rate-limit,gremlins' }), OpenAI.BadRequestError, (error) => {
    assert.equal(error.param, FAULT_HEADER);
    assert.match(error.message, /unknown fault "gremlins"; known faults are rate-limit, timeout/);
  });
  assert.equal(sim.stats().calls, 0);
});

void test('fires a configured fault on about faultRate of the calls, on the same calls for the same seed, without shifting the answers', async (t) => {
  const CALLS = 40;
  const run = async (opts: LlmSimulatorOptions): Promise<Array<string | null>> => {
    const { client } = await simulator(t, { seed: 5, ...opts });
    const out: Array<string | null> = [];
    for (let i = 0; i < CALLS; i += 1) {
      try {
        out.push(await tagReview(client));
      } catch (error) {
        assert.ok(error instanceof OpenAI.InternalServerError, `expected only injected server errors, got ${String(error)}`);
        out.push(null);
      }
    }
    return out;
  };
  const faulty = await run({ faults: ['server-error'], faultRate: 0.3 });
  assert.deepEqual(await run({ faults: ['server-error'], faultRate: 0.3 }), faulty, 'the same seed must fault the same calls');
  const failed = faulty.filter((content) => content === null).length;
  // 40 draws at 0.3 give 12 on average; 4 to 20 is more than two and a half standard deviations each way.
  assert.ok(failed >= 4 && failed <= 20, `${failed} of ${CALLS} calls faulted at rate 0.3`);
  const clean = await run({});
  assert.deepEqual(faulty.filter((content) => content !== null), clean.slice(0, CALLS - failed), 'faulted calls must not shift the answers');
});

void test('observes the timeout fault as a client timeout and keeps serving other requests', async (t) => {
  const { sim, client } = await simulator(t);
  const started = performance.now();
  await assertRejectsAs(tagReview(client, { [FAULT_HEADER]: 'timeout' }), OpenAI.APIConnectionTimeoutError);
  assert.ok(performance.now() - started >= CLIENT_TIMEOUT_MS - 20, 'the call ended before the client timeout');
  await cleanReview(client);
  const [hung] = sim.requests().filter((entry) => entry.fault === 'timeout');
  assert.equal(hung.status, null);
  assert.equal(hung.answeredAtMs, null);
});

void test('keeps a timed-out call open until the connection closes, and close() ends it at once', async (t) => {
  const CLOSE_BOUND_MS = 1000;
  const sim = await startLlmSimulator({ port: 0, faults: ['timeout'] });
  // Closing twice is harmless; this one only runs when an assertion fails before the close under test.
  t.after(() => sim.close());
  const pending = fetch(`${sim.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) }).then(
    () => 'answered',
    () => 'cut',
  );
  await waitFor(() => sim.requests(), (log) => log.length === 1, { timeoutMs: 5000, intervalMs: 20, message: 'the timed-out call to reach the request log' });
  const started = performance.now();
  await sim.close();
  assert.ok(performance.now() - started < CLOSE_BOUND_MS, 'close() waited for the hung call');
  assert.equal(await pending, 'cut');
});

void test('answers a forced tool call with schema-valid arguments and finish_reason tool_calls', async (t) => {
  const { sim, client } = await simulator(t, { seed: 8 });
  for (let i = 0; i < 10; i += 1) {
    const named = await callTools(client, { type: 'function', function: { name: 'book_table' } });
    const choice = named.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, null);
    const [call] = choice.message.tool_calls ?? [];
    assert.ok(call?.type === 'function');
    assert.match(call.id, /^call_/);
    assert.equal(call.function.name, 'book_table');
    BookTable.parse(JSON.parse(call.function.arguments));
  }
  const names = new Set<string>();
  for (let i = 0; i < 10; i += 1) {
    const [call] = (await callTools(client, 'required')).choices[0].message.tool_calls ?? [];
    assert.ok(call?.type === 'function');
    toolSchemas[call.function.name].parse(JSON.parse(call.function.arguments));
    names.add(call.function.name);
  }
  assert.deepEqual([...names].sort(), ['book_table', 'get_weather'], "'required' should pick among the tools");

  // Under 'auto' the simulated model answers in content, as it did before tools existed.
  const auto = await callTools(client, 'auto');
  assert.equal(auto.choices[0].finish_reason, 'stop');
  assert.equal(auto.choices[0].message.tool_calls, undefined);
  const log = sim.requests();
  assert.equal(log[0].toolCall?.name, 'book_table');
  assert.equal(log[0].content, null);
  assert.equal(log[log.length - 1].toolCall, null);
  assert.equal(log[log.length - 1].content, auto.choices[0].message.content);
});

void test('refuses a tool_choice that names no offered tool with a 400', async (t) => {
  const { sim, client } = await simulator(t);
  await assertRejectsAs(callTools(client, { type: 'function', function: { name: 'launch_rocket' } }), OpenAI.BadRequestError, (error) => {
    assert.equal(error.param, 'tool_choice');
    assert.match(error.message, /no function named 'launch_rocket'/);
  });
  assert.equal(sim.stats().calls, 0);
});

// The Anthropic route, spoken with fetch in the exact wire format of the Messages API.

interface AnthropicReply {
  status: number;
  headers: Headers;
  body: {
    type: string;
    content?: Array<{ type: string; text?: string; id?: string; name?: string; input?: unknown }>;
    stop_reason?: string;
    model?: string;
    role?: string;
    usage?: { input_tokens: number; output_tokens: number };
    error?: { type: string; message: string };
  };
}

async function postMessages(sim: LlmSimulator, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<AnthropicReply> {
  const res = await fetch(`${sim.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'simulator', 'anthropic-version': ANTHROPIC_VERSION, ...headers },
    body: JSON.stringify(body),
    signal,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as AnthropicReply['body'] };
}

const anthropicReview = {
  model: 'claude-sim',
  max_tokens: 512,
  system: 'Tag the product review. Answer with JSON.',
  messages: [{ role: 'user', content: 'The battery died after two days.' }],
};
// Structured output over Anthropic: a forced tool whose input_schema is the JSON schema.
const anthropicStructured = {
  ...anthropicReview,
  tools: [{ name: 'review_tags', description: 'Record the tags of a review', input_schema: reviewTagsSchema }],
  tool_choice: { type: 'tool', name: 'review_tags' },
};

void test('answers an Anthropic Messages request with a text block and counts it under the anthropic wire format', async (t) => {
  const { sim } = await simulator(t);
  const reply = await postMessages(sim, { ...anthropicReview, messages: [{ role: 'user', content: [{ type: 'text', text: 'How is the battery?' }] }] });
  assert.equal(reply.status, 200);
  assert.equal(reply.body.type, 'message');
  assert.equal(reply.body.role, 'assistant');
  assert.equal(reply.body.model, 'claude-sim');
  assert.equal(reply.body.stop_reason, 'end_turn');
  assert.equal(reply.body.content?.length, 1);
  assert.equal(reply.body.content?.[0].type, 'text');
  assert.match(reply.body.content?.[0].text ?? '', /^[A-Z][^.]*\.$/);
  assert.ok((reply.body.usage?.input_tokens ?? 0) > 0 && (reply.body.usage?.output_tokens ?? 0) > 0);
  assert.ok(reply.headers.get('request-id'));

  const [entry] = sim.requests();
  assert.equal(entry.wireFormat, 'anthropic');
  assert.deepEqual(entry.messages, [{ role: 'system', content: anthropicReview.system }, { role: 'user', content: [{ type: 'text', text: 'How is the battery?' }] }]);
  assert.equal(entry.promptHash, anthropicPromptHash({ system: anthropicReview.system, messages: [{ role: 'user', content: [{ type: 'text', text: 'How is the battery?' }] }] }));
  assert.deepEqual(sim.stats().callsByWireFormat, { openai: 0, anthropic: 1 });
});

void test('answers Anthropic structured output through a forced tool with a schema-valid input', async (t) => {
  const { sim } = await simulator(t, { seed: 13 });
  for (let i = 0; i < 10; i += 1) {
    const reply = await postMessages(sim, anthropicStructured);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.stop_reason, 'tool_use');
    const [block] = reply.body.content ?? [];
    assert.equal(block.type, 'tool_use');
    assert.equal(block.name, 'review_tags');
    assert.match(block.id ?? '', /^toolu_/);
    ReviewTags.parse(block.input);
  }
  const any = await postMessages(sim, { ...anthropicStructured, tool_choice: { type: 'any' } });
  assert.equal(any.body.content?.[0].type, 'tool_use');
  assert.equal(sim.requests(1)[0].toolCall?.name, 'review_tags');
});

void test('answers Anthropic request errors in the Anthropic error format', async (t) => {
  const { sim } = await simulator(t);
  const noKey = await fetch(`${sim.url}/v1/messages`, { method: 'POST', headers: { 'anthropic-version': ANTHROPIC_VERSION }, body: JSON.stringify(anthropicReview) });
  assert.equal(noKey.status, 401);
  assert.deepEqual(((await noKey.json()) as AnthropicReply['body']).error, { type: 'authentication_error', message: 'x-api-key header is required' });
  const noVersion = await fetch(`${sim.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'k' }, body: JSON.stringify(anthropicReview) });
  assert.equal(noVersion.status, 400);
  const noMaxTokens = await postMessages(sim, { ...anthropicReview, max_tokens: undefined });
  assert.equal(noMaxTokens.status, 400);
  assert.deepEqual(noMaxTokens.body.error, { type: 'invalid_request_error', message: 'max_tokens: Field required' });
  const unknownTool = await postMessages(sim, { ...anthropicStructured, tool_choice: { type: 'tool', name: 'nope' } });
  assert.equal(unknownTool.status, 400);
  assert.equal(unknownTool.body.type, 'error');
  assert.equal(sim.stats().calls, 0);
});

const anthropicFaultProbes: Record<FaultName, (sim: LlmSimulator, headers?: Record<string, string>) => Promise<void>> = {
  'rate-limit': async (sim, headers) => {
    const reply = await postMessages(sim, anthropicStructured, headers);
    assert.equal(reply.status, 429);
    assert.equal(reply.headers.get('retry-after'), String(DEFAULT_RETRY_AFTER_S));
    assert.equal(reply.body.type, 'error');
    assert.equal(reply.body.error?.type, 'rate_limit_error');
  },
  timeout: async (sim, headers) => {
    await assert.rejects(postMessages(sim, anthropicStructured, headers, AbortSignal.timeout(CLIENT_TIMEOUT_MS)), { name: 'TimeoutError' });
  },
  'server-error': async (sim, headers) => {
    const reply = await postMessages(sim, anthropicStructured, { [ERROR_STATUS_HEADER]: '529', ...headers });
    assert.equal(reply.status, 529);
    assert.equal(reply.body.error?.type, 'overloaded_error');
  },
  'malformed-json': async (sim, headers) => {
    const reply = await postMessages(sim, anthropicStructured, headers);
    const [block] = reply.body.content ?? [];
    // A tool input is always an object on this wire, so broken JSON arrives as text instead of the tool call.
    assert.equal(block.type, 'text');
    assert.equal(reply.body.stop_reason, 'end_turn');
    assert.throws(() => JSON.parse(block.text ?? ''), SyntaxError);
  },
  'wrong-fields': async (sim, headers) => {
    const reply = await postMessages(sim, anthropicStructured, headers);
    const [block] = reply.body.content ?? [];
    assert.equal(block.type, 'tool_use');
    assert.equal(ReviewTags.safeParse(block.input).success, false, `expected an input that fails the schema, got ${JSON.stringify(block.input)}`);
  },
  'bad-tool-args': async (sim, headers) => {
    const reply = await postMessages(sim, { ...anthropicStructured, tool_choice: { type: 'auto' } }, headers);
    const [block] = reply.body.content ?? [];
    assert.equal(block.type, 'tool_use');
    assert.equal(reply.body.stop_reason, 'tool_use');
    assertHallucinated(ReviewTags, block.input);
  },
};

for (const fault of FAULT_NAMES) {
  void test(`serves ${fault} on the Anthropic route in Anthropic's wire format, by header and by configuration`, async (t) => {
    const aimed = await simulator(t, { seed: 31 });
    await anthropicFaultProbes[fault](aimed.sim, { [FAULT_HEADER]: fault });
    assert.equal((await postMessages(aimed.sim, anthropicStructured, { [FAULT_HEADER]: 'none' })).status, 200);
    assert.deepEqual(aimed.sim.stats().faults, onlyFault(fault, 1));
    assert.equal(aimed.sim.requests().find((entry) => entry.fault === fault)?.wireFormat, 'anthropic');

    const configured = await simulator(t, { seed: 32, faults: [fault] });
    await anthropicFaultProbes[fault](configured.sim);
    assert.deepEqual(configured.sim.stats().faults, onlyFault(fault, 1));
  });
}

void test('enforces its own requests-per-window limit with 429 and a Retry-After that, when honoured, lets the next call through', async (t) => {
  // Seconds, not milliseconds: event-loop stalls on a loaded machine must not decide the outcome.
  const WINDOW_MS = 5_000;
  // Arriving this much before the advertised time must still be refused: Retry-After is not generous.
  const EARLY_MS = 1_500;
  const { sim, client } = await simulator(t, { rateLimit: { requestsPerWindow: 2, windowMs: WINDOW_MS } });
  const firstSentAtMs = Date.now();
  const { response } = await client.chat.completions
    .create({ model: 'sim-model', messages: reviewPrompt('First.'), response_format: reviewTagsFormat })
    .withResponse();
  assert.equal(response.headers.get('x-ratelimit-limit-requests'), '2');
  assert.equal(response.headers.get('x-ratelimit-remaining-requests'), '1');
  await cleanReview(client);

  const refusal = async (): Promise<number> => {
    let retryAfterMs = 0;
    await assertRejectsAs(tagReview(client), OpenAI.RateLimitError, (error) => {
      assert.equal(error.type, 'requests');
      assert.match(error.message, /rate limit reached for sim-model: 2 requests per 5000 ms/);
      retryAfterMs = Number(error.headers.get('retry-after-ms'));
      assert.equal(Number(error.headers.get('retry-after')), Math.max(1, Math.ceil(retryAfterMs / 1000)), 'Retry-After is retry-after-ms rounded up to seconds');
    });
    // The first call leaves the window no earlier than WINDOW_MS after it was sent.
    assert.ok(retryAfterMs >= firstSentAtMs + WINDOW_MS - Date.now(), `retry-after-ms ${retryAfterMs} lets a call in before the window has room`);
    assert.ok(retryAfterMs <= WINDOW_MS + 1, `retry-after-ms ${retryAfterMs} is longer than the window`);
    return retryAfterMs;
  };
  const retryAfterMs = await refusal();
  // Waiting, but less than asked, is refused again; a refusal takes no place in the window.
  // These sleeps are the client honouring (or not) the server's Retry-After, the behaviour under test.
  await sleep(Math.max(0, retryAfterMs - EARLY_MS));
  const remainingMs = await refusal();
  await sleep(remainingMs);
  await cleanReview(client);

  const stats = sim.stats();
  assert.equal(stats.faults['rate-limiter'], 2);
  assert.equal(stats.rateLimited, 2);
  assert.deepEqual(stats.responsesByStatus, { '200': 3, '429': 2 });
  assert.equal(sim.requests().filter((entry) => entry.fault === 'rate-limiter').length, 2);

  sim.reset();
  assert.equal(sim.stats().faults['rate-limiter'], 0, 'a reset zeroes the fault counters');
  await cleanReview(client);
  await cleanReview(client);
});

void test('enforces a tokens-per-window limit, and refuses a request that can never fit without a Retry-After', async (t) => {
  const { sim, client } = await simulator(t, { rateLimit: { tokensPerWindow: 150 } });
  let refused: InstanceType<typeof OpenAI.RateLimitError> | undefined;
  for (let i = 0; i < 10 && !refused; i += 1) {
    try {
      await tagReview(client);
    } catch (error) {
      assert.ok(error instanceof OpenAI.RateLimitError, `expected RateLimitError, got ${String(error)}`);
      refused = error;
    }
  }
  assert.ok(refused, 'ten calls never met the token limit');
  assert.equal(refused.type, 'tokens');
  assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  assert.equal(sim.stats().faults['rate-limiter'], 1);

  await assertRejectsAs(tagReview(client, undefined, 'far too long '.repeat(100)), OpenAI.RateLimitError, (error) => {
    assert.match(error.message, /can never pass/);
    assert.equal(error.headers.get('retry-after'), null);
  });

  sim.reset();
  await cleanReview(client);
});

void test('sends Anthropic rate-limit headers and a rate_limit_error when its own limit is reached on the Anthropic route', async (t) => {
  const { sim } = await simulator(t, { rateLimit: { requestsPerWindow: 1, windowMs: 60_000 } });
  const first = await postMessages(sim, anthropicReview);
  assert.equal(first.headers.get('anthropic-ratelimit-requests-limit'), '1');
  assert.equal(first.headers.get('anthropic-ratelimit-requests-remaining'), '0');
  assert.ok(Date.parse(first.headers.get('anthropic-ratelimit-requests-reset') ?? '') > Date.now());
  const second = await postMessages(sim, anthropicReview);
  assert.equal(second.status, 429);
  assert.equal(second.body.error?.type, 'rate_limit_error');
  assert.ok(Number(second.headers.get('retry-after')) >= 59);
});

void test('counts calls, answers, 429s, faults and tokens per prompt hash, and logs wire format, fault, status and both timestamps', async (t) => {
  const { sim, client } = await simulator(t);
  const prompt = reviewPrompt('Great sound, weak battery.');
  const hash = promptHash(prompt);
  const completion = await client.chat.completions.create({ model: 'sim-model', messages: prompt });
  await assertRejectsAs(client.chat.completions.create({ model: 'sim-model', messages: prompt }, { headers: { [FAULT_HEADER]: 'rate-limit' } }), OpenAI.RateLimitError);
  // The same system and user strings on the Anthropic route are the same prompt.
  const anthropic = await postMessages(sim, { model: 'claude-sim', max_tokens: 100, system: prompt[0].content, messages: [prompt[1]] });
  await assertRejectsAs(tagReview(client, { [FAULT_HEADER]: 'server-error', [ERROR_STATUS_HEADER]: '502' }), OpenAI.InternalServerError);

  const stats = await (await fetch(`${sim.url}/simulator/stats`)).json() as Stats;
  assert.deepEqual(stats, sim.stats());
  assert.deepEqual(stats.byPromptHash[hash], {
    calls: 3,
    answers: 2,
    rateLimited: 1,
    faults: { 'rate-limit': 1 },
    tokens: {
      prompt: (completion.usage?.prompt_tokens ?? 0) + (anthropic.body.usage?.input_tokens ?? 0),
      completion: (completion.usage?.completion_tokens ?? 0) + (anthropic.body.usage?.output_tokens ?? 0),
    },
  });
  assert.equal(stats.callsByPromptHash[hash], 3);
  assert.equal(stats.calls, 4);
  assert.equal(stats.answers, 2);
  assert.deepEqual(stats.callsByWireFormat, { openai: 3, anthropic: 1 });
  assert.deepEqual(stats.responsesByStatus, { '200': 2, '429': 1, '502': 1 });

  const log = sim.requests();
  assert.deepEqual(log.map((entry) => [entry.wireFormat, entry.fault, entry.status]), [
    ['openai', null, 200],
    ['openai', 'rate-limit', 429],
    ['anthropic', null, 200],
    ['openai', 'server-error', 502],
  ]);
  for (const entry of log) {
    assert.ok(entry.answeredAtMs !== null && entry.receivedAtMs <= entry.answeredAtMs, `call ${entry.callNumber} has no ordered timestamps`);
  }
  assert.deepEqual(log.map((entry) => entry.answerNumber), [0, null, 1, null], 'only clean answers take a number in the answer sequence');
  assert.deepEqual(log[0].usage, { promptTokens: completion.usage?.prompt_tokens, completionTokens: completion.usage?.completion_tokens });
  assert.deepEqual(log[2].usage, { promptTokens: anthropic.body.usage?.input_tokens, completionTokens: anthropic.body.usage?.output_tokens });
  assert.equal(log[1].usage, null);
});

void test('draws each call latency from the configured distribution, reproducibly per seed, and a header sets one request apart', async (t) => {
  // Timers never fire early, but clocks are read a little apart; this only absorbs that.
  const CLOCK_TOLERANCE_MS = 20;
  const latencies = async (opts: LlmSimulatorOptions, calls: number): Promise<number[]> => {
    const { sim, client } = await simulator(t, { seed: 4, ...opts });
    for (let i = 0; i < calls; i += 1) {
      const started = performance.now();
      await client.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: 'Hello' }] });
      const elapsed = performance.now() - started;
      const drawn = sim.requests(1)[0].latencyMs;
      assert.ok(elapsed >= drawn - CLOCK_TOLERANCE_MS, `call ${i} took ${elapsed} ms, less than its drawn ${drawn} ms`);
    }
    return sim.requests().map((entry) => entry.latencyMs);
  };

  const uniform = await latencies({ latency: 'uniform:minMs=20,maxMs=120' }, 8);
  assert.ok(uniform.every((ms) => ms >= 20 && ms <= 120), `uniform latencies out of range: ${uniform.join(', ')}`);
  assert.ok(new Set(uniform).size > 1, 'uniform latencies should vary');
  assert.deepEqual(await latencies({ latency: 'uniform:minMs=20,maxMs=120' }, 8), uniform, 'the same seed draws the same latencies');

  const tail = await latencies({ latency: { kind: 'tail', ms: 0, tailPercent: 50, tailMs: 150 } }, 12);
  assert.deepEqual([...new Set(tail)].sort((a, b) => a - b), [0, 150], `tail latencies: ${tail.join(', ')}`);

  const lognormal = await latencies({ latency: 'lognormal:medianMs=10,sigma=1.5,maxMs=200' }, 12);
  assert.ok(lognormal.every((ms) => ms >= 0 && ms <= 200), `lognormal latencies out of range: ${lognormal.join(', ')}`);
  assert.ok(new Set(lognormal).size > 1);

  const { sim, client } = await simulator(t);
  const started = performance.now();
  await client.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: 'Hello' }] }, { headers: { [LATENCY_SPEC_HEADER]: 'fixed:ms=200' } });
  assert.ok(performance.now() - started >= 200 - CLOCK_TOLERANCE_MS);
  assert.equal(sim.requests(1)[0].latencyMs, 200);
  await assertRejectsAs(
    client.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: 'Hello' }] }, { headers: { [LATENCY_SPEC_HEADER]: 'uniform:minMs=5' } }),
    OpenAI.BadRequestError,
    (error) => assert.match(error.message, /uniform needs maxMs=N/),
  );
});

void test('answers a prompt from the fixtures, a list in order, and leaves the generated answers of other prompts unchanged', async (t) => {
  const fixed = JSON.stringify({ tags: ['fixture'], sentiment: 'positive' });
  const first = JSON.stringify({ tags: ['one'], sentiment: 'neutral' });
  const second = JSON.stringify({ tags: ['two'], sentiment: 'negative' });
  const { sim, client } = await simulator(t, {
    seed: 17,
    fixtures: { [promptHash(reviewPrompt('A'))]: fixed, [promptHash(reviewPrompt('B'))]: [first, second] },
  });
  assert.deepEqual([await tagReview(client, undefined, 'A'), await tagReview(client, undefined, 'A')], [fixed, fixed]);
  assert.deepEqual([await tagReview(client, undefined, 'B'), await tagReview(client, undefined, 'B'), await tagReview(client, undefined, 'B')], [first, second, second]);
  const generated = await tagReview(client, undefined, 'C');
  assert.deepEqual(sim.requests().map((entry) => entry.fixture), [true, true, true, true, true, false]);

  const { client: plain } = await simulator(t, { seed: 17 });
  assert.equal(generated, await tagReview(plain, undefined, 'C'), 'fixture answers must not shift the generated ones');
});

void test('replays a fixtures file on both routes, as content and as a forced tool call', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'llm-sim-fixtures-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'fixtures.json');
  const fixture = JSON.stringify({ tags: ['from-file'], sentiment: 'positive' });
  await writeFile(path, JSON.stringify({ [anthropicPromptHash(anthropicReview)]: fixture }));
  const { sim, client } = await simulator(t, { fixtures: path });

  const structured = await postMessages(sim, anthropicStructured);
  assert.deepEqual(structured.body.content?.[0].input, JSON.parse(fixture));
  // The same system and user strings over OpenAI hash alike, so the same fixture answers.
  const content = await client.chat.completions.create({
    model: 'sim-model',
    messages: [{ role: 'system', content: anthropicReview.system }, { role: 'user', content: anthropicReview.messages[0].content }],
  });
  assert.equal(content.choices[0].message.content, fixture);
  await assert.rejects(startLlmSimulator({ port: 0, fixtures: join(dir, 'missing.json') }), LlmSimulatorFixtureError);
});

void test('records clean answers and writes them on close as a fixtures file that replays them', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'llm-sim-record-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'recorded.json');
  const recorder = await startLlmSimulator({ port: 0, seed: 9, record: path });
  const client = new OpenAI({ apiKey: 'simulator', baseURL: recorder.baseUrl, maxRetries: 0 });
  const answers = [await tagReview(client, undefined, 'A'), await tagReview(client, undefined, 'A'), await tagReview(client, undefined, 'B')];
  await tagReview(client, { [FAULT_HEADER]: 'malformed-json' }, 'B');
  await recorder.close();

  const recorded = JSON.parse(await readFile(path, 'utf8')) as unknown;
  assert.deepEqual(recorded, { [promptHash(reviewPrompt('A'))]: [answers[0], answers[1]], [promptHash(reviewPrompt('B'))]: answers[2] });
  const { client: replay } = await simulator(t, { seed: 1234, fixtures: path });
  assert.deepEqual([await tagReview(replay, undefined, 'A'), await tagReview(replay, undefined, 'A'), await tagReview(replay, undefined, 'B')], answers);
});

void test('refuses impossible fault, latency and rate-limit options at start with a message naming the option', async () => {
  const refuses = (opts: LlmSimulatorOptions, option: string, message: RegExp): Promise<void> =>
    assert.rejects(startLlmSimulator({ port: 0, ...opts }), (error: unknown) => {
      assert.ok(error instanceof LlmSimulatorConfigError, `expected LlmSimulatorConfigError, got ${String(error)}`);
      assert.equal(error.option, option);
      assert.match(error.message, message);
      return true;
    });
  await refuses({ faults: ['rate-limit', 'gremlins' as FaultName] }, 'faults', /unknown fault "gremlins"/);
  await refuses({ faultRate: 1.5 }, 'faultRate', /probability from 0 to 1/);
  await refuses({ serverErrorStatuses: [418] }, 'serverErrorStatuses', /500, 502, 503, 504, 529/);
  await refuses({ latency: 'uniform:minMs=300,maxMs=100' }, 'latency', /minMs 300 exceeds maxMs 100/);
  await refuses({ latency: 'fixed:ms=1', latencyMs: 1 }, 'latencyMs', /not both/);
  await refuses({ rateLimit: {} }, 'rateLimit', /requestsPerWindow, tokensPerWindow or both/);
  await refuses({ rateLimit: { requestsPerWindow: 0 } }, 'rateLimit.requestsPerWindow', /whole number from 1/);
});

void test('reads faults, latency, rate limit and fixtures from flags and LLM_SIMULATOR_* variables, flags first', () => {
  const options = parseStandaloneOptions(['--faults', 'rate-limit,timeout', '--retry-after-s', 'none', '--rate-limit-requests', '10'], {
    LLM_SIMULATOR_FAULTS: 'server-error',
    LLM_SIMULATOR_FAULT_RATE: '0.25',
    LLM_SIMULATOR_FAULT_LIMIT: '3',
    LLM_SIMULATOR_LATENCY: 'tail:ms=5,tailPercent=1,tailMs=2000',
    LLM_SIMULATOR_SERVER_ERROR_STATUS: '502,503',
    LLM_SIMULATOR_RATE_LIMIT_WINDOW_MS: '1000',
    LLM_SIMULATOR_FIXTURES: '/tmp/fixtures.json',
  });
  assert.deepEqual(options, {
    port: 8790,
    latency: 'tail:ms=5,tailPercent=1,tailMs=2000',
    faults: 'rate-limit,timeout',
    faultRate: 0.25,
    faultLimit: 3,
    retryAfterS: null,
    serverErrorStatuses: [502, 503],
    rateLimit: { requestsPerWindow: 10, tokensPerWindow: undefined, windowMs: 1000 },
    fixtures: '/tmp/fixtures.json',
  });
  assert.throws(() => parseStandaloneOptions(['--fault-rate', 'often'], {}), LlmSimulatorConfigError);
});

void test('the standalone entry serves the faults named in LLM_SIMULATOR_FAULTS', async () => {
  const STARTUP_TIMEOUT_MS = 20_000;
  const child = spawn(process.execPath, ['--import', 'tsx', 'dev/llm-simulator/main.ts', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LLM_SIMULATOR_FAULTS: 'rate-limit', LLM_SIMULATOR_RETRY_AFTER_S: '3' },
  });
  try {
    const lines = createInterface({ input: child.stdout });
    const firstLine = await Promise.race([
      once(lines, 'line').then(([line]) => String(line)),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no listening line within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS).unref()),
    ]);
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(firstLine)?.[0];
    assert.ok(url, `no URL in ${JSON.stringify(firstLine)}`);
    const client = new OpenAI({ apiKey: 'simulator', baseURL: `${url}/v1`, maxRetries: 0 });
    await assertRejectsAs(tagReview(client), OpenAI.RateLimitError, (error) => assert.equal(error.headers.get('retry-after'), '3'));
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    assert.equal((await exited)[0], 0);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
