// The LLM simulator is what the tests and the demo call instead of a model, so its promises are
// tested here over real HTTP with the official openai client: valid structured output, different
// answers per call, reproducible sequences per seed, honest counters, latency, OpenAI-style errors.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { test, type TestContext } from 'node:test';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import {
  createRng,
  jsonSchemaInstance,
  LATENCY_HEADER,
  promptHash,
  startLlmSimulator,
  type LlmSimulator,
  type LlmSimulatorOptions,
  type LoggedRequest,
  type Stats,
} from '../dev/llm-simulator/index';

const ReviewTags = z.object({
  tags: z.array(z.string()).min(1).max(5),
  sentiment: z.enum(['positive', 'neutral', 'negative']),
});

const reviewTagsFormat = {
  type: 'json_schema' as const,
  json_schema: { name: 'review_tags', schema: z.toJSONSchema(ReviewTags), strict: true },
};

const reviewPrompt = (text: string): OpenAI.ChatCompletionMessageParam[] => [
  { role: 'system', content: 'Tag the product review. Answer with JSON.' },
  { role: 'user', content: text },
];

async function simulator(t: TestContext, opts: LlmSimulatorOptions = {}): Promise<{ sim: LlmSimulator; client: OpenAI }> {
  const sim = await startLlmSimulator({ port: 0, ...opts });
  t.after(() => sim.close());
  return { sim, client: new OpenAI({ apiKey: 'simulator', baseURL: sim.baseUrl, maxRetries: 0 }) };
}

async function tagReview(client: OpenAI, text: string, model = 'sim-model'): Promise<OpenAI.ChatCompletion> {
  return client.chat.completions.create({ model, messages: reviewPrompt(text), response_format: reviewTagsFormat });
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url} answered ${res.status}`);
  return (await res.json()) as T;
}

async function contentsOf(client: OpenAI, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) out.push((await tagReview(client, 'The battery died after two days.')).choices[0].message.content ?? '');
  return out;
}

void test('answers a json_schema request with content that the zod schema accepts', async (t) => {
  const { client } = await simulator(t, { seed: 11 });
  for (let i = 0; i < 20; i += 1) {
    const completion = await tagReview(client, `Review number ${i}: fits well, shipping was slow.`, 'gpt-test');
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.model, 'gpt-test');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.equal(completion.choices[0].message.role, 'assistant');
    const parsed = ReviewTags.parse(JSON.parse(completion.choices[0].message.content ?? ''));
    assert.ok(parsed.tags.length >= 1 && parsed.tags.length <= 5);
    const usage = completion.usage;
    assert.ok(usage && usage.prompt_tokens > 0 && usage.completion_tokens > 0);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
  }
});

void test('serves the openai client parse helper with a zod response format', async (t) => {
  const { client } = await simulator(t);
  const completion = await client.chat.completions.parse({
    model: 'sim-model',
    messages: reviewPrompt('Comfortable strap, cheap charger.'),
    response_format: zodResponseFormat(ReviewTags, 'review_tags'),
  });
  const parsed = completion.choices[0].message.parsed;
  assert.ok(parsed, 'the parse helper returned no parsed value');
  assert.deepEqual(ReviewTags.parse(parsed), parsed);
});

void test('answers two calls with the same prompt differently', async (t) => {
  const { client } = await simulator(t, { seed: 3 });
  const [first, second] = await contentsOf(client, 2);
  assert.notEqual(first, second);
});

void test('repeats the same sequence of answers for the same seed, also after a reset over HTTP', async (t) => {
  const a = await simulator(t, { seed: 7 });
  const b = await simulator(t, { seed: 7 });
  const other = await simulator(t, { seed: 8 });
  const fromA = await contentsOf(a.client, 4);
  assert.deepEqual(await contentsOf(b.client, 4), fromA);
  assert.notDeepEqual(await contentsOf(other.client, 4), fromA);

  const reset = await fetch(`${other.sim.url}/simulator/reset`, { method: 'POST', body: JSON.stringify({ seed: 7 }) });
  assert.equal(reset.status, 200);
  assert.deepEqual(await reset.json(), { seed: 7 });
  assert.deepEqual(await contentsOf(other.client, 4), fromA);
});

void test('answers plain chat with a short sentence when no response_format is given', async (t) => {
  const { client } = await simulator(t);
  const completion = await client.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: 'How is the battery?' }] });
  const content = completion.choices[0].message.content ?? '';
  assert.match(content, /^[A-Z][^.]*\.$/);
  assert.ok(content.length < 200, `expected a short sentence, got ${content.length} characters`);
});

void test('counts calls by model and by prompt hash and logs what the model received', async (t) => {
  const { sim, client } = await simulator(t);
  const first = await tagReview(client, 'Great sound, weak battery.', 'model-a');
  const second = await tagReview(client, 'Great sound, weak battery.', 'model-a');
  const third = await tagReview(client, 'Arrived damaged.', 'model-b');

  const stats = await getJson<Stats>(`${sim.url}/simulator/stats`);
  assert.equal(stats.calls, 3);
  assert.deepEqual(stats.callsByModel, { 'model-a': 2, 'model-b': 1 });
  assert.deepEqual(stats.callsByPromptHash, {
    [promptHash(reviewPrompt('Great sound, weak battery.'))]: 2,
    [promptHash(reviewPrompt('Arrived damaged.'))]: 1,
  });
  const completions = [first, second, third];
  assert.deepEqual(stats.tokens, {
    prompt: completions.reduce((sum, c) => sum + (c.usage?.prompt_tokens ?? 0), 0),
    completion: completions.reduce((sum, c) => sum + (c.usage?.completion_tokens ?? 0), 0),
  });
  assert.deepEqual(sim.stats(), stats);

  const { requests } = await getJson<{ requests: LoggedRequest[] }>(`${sim.url}/simulator/requests?limit=2`);
  assert.equal(requests.length, 2);
  assert.deepEqual(requests.map((r) => r.model), ['model-a', 'model-b']);
  assert.deepEqual(requests[1].messages, reviewPrompt('Arrived damaged.'));
  assert.equal(requests[1].promptHash, promptHash(reviewPrompt('Arrived damaged.')));
  assert.equal(requests[1].schemaName, 'review_tags');
  assert.deepEqual(requests.map((r) => r.content), [second, third].map((c) => c.choices[0].message.content));
  assert.ok(requests[0].receivedAtMs <= requests[1].receivedAtMs && requests[1].receivedAtMs <= (requests[1].answeredAtMs ?? 0));
  assert.ok((requests[1].answeredAtMs ?? Infinity) <= Date.now());

  const reset = await fetch(`${sim.url}/simulator/reset`, { method: 'POST' });
  assert.equal(reset.status, 200);
  const zeroed = await getJson<Stats>(`${sim.url}/simulator/stats`);
  assert.deepEqual(
    { calls: zeroed.calls, callsByModel: zeroed.callsByModel, callsByPromptHash: zeroed.callsByPromptHash, tokens: zeroed.tokens },
    { calls: 0, callsByModel: {}, callsByPromptHash: {}, tokens: { prompt: 0, completion: 0 } },
  );
  assert.deepEqual((await getJson<{ requests: LoggedRequest[] }>(`${sim.url}/simulator/requests`)).requests, []);
});

void test('waits the configured latency before answering, and a request header overrides it', async (t) => {
  const LATENCY_MS = 800;
  // Timers never fire early, but clocks are read a little apart; this only absorbs that.
  const CLOCK_TOLERANCE_MS = 20;
  const { client } = await simulator(t, { latencyMs: LATENCY_MS });
  const timed = async (headers?: Record<string, string>): Promise<number> => {
    const started = performance.now();
    await client.chat.completions.create({ model: 'sim-model', messages: [{ role: 'user', content: 'Hello' }] }, { headers });
    return performance.now() - started;
  };

  assert.ok((await timed()) >= LATENCY_MS - CLOCK_TOLERANCE_MS, 'the configured latency was not honoured');
  const overridden = await timed({ [LATENCY_HEADER]: '250' });
  assert.ok(overridden >= 250 - CLOCK_TOLERANCE_MS, `the header latency was not honoured (${overridden} ms)`);
  const immediate = await timed({ [LATENCY_HEADER]: '0' });
  assert.ok(immediate < LATENCY_MS, `a header of 0 should answer before the configured ${LATENCY_MS} ms, took ${immediate} ms`);
});

void test('rejects a body that is not JSON with a 400 in the OpenAI error format', async (t) => {
  const { sim } = await simulator(t);
  const res = await fetch(`${sim.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": ' });
  assert.equal(res.status, 400);
  const body = (await res.json()) as { error: { message: string; type: string } };
  assert.equal(body.error.type, 'invalid_request_error');
  assert.match(body.error.message, /could not parse the JSON body/);
  assert.equal(sim.stats().calls, 0);
});

void test('rejects a request without messages with a 400 that the openai client raises as BadRequestError', async (t) => {
  const { sim, client } = await simulator(t);
  await assert.rejects(
    client.chat.completions.create({ model: 'sim-model' } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming),
    (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError, `expected BadRequestError, got ${String(error)}`);
      assert.equal(error.status, 400);
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.param, 'messages');
      assert.match(error.message, /Missing required parameter: 'messages'/);
      return true;
    },
  );
  assert.equal(sim.stats().calls, 0, 'a refused request must not count as a model call');
});

void test('refuses a schema that no instance satisfies with a 400 naming the schema', async (t) => {
  const { sim, client } = await simulator(t);
  const impossible = { type: 'object', properties: { tags: { type: 'array', items: { enum: ['a'] }, minItems: 2, uniqueItems: true } }, required: ['tags'] };
  await assert.rejects(
    client.chat.completions.create({
      model: 'sim-model',
      messages: reviewPrompt('Anything.'),
      response_format: { type: 'json_schema', json_schema: { name: 'impossible', schema: impossible } },
    }),
    (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError, `expected BadRequestError, got ${String(error)}`);
      assert.equal(error.param, 'response_format.json_schema.schema');
      assert.match(error.message, /Cannot generate a JSON instance at \/tags: cannot find 2 distinct items/);
      return true;
    },
  );
  assert.equal(sim.stats().calls, 0);
});

void test('answers 404 for an unknown route and 200 on /healthz', async (t) => {
  const { sim } = await simulator(t);
  assert.equal((await fetch(`${sim.url}/healthz`)).status, 200);
  const unknown = await fetch(`${sim.url}/v1/embeddings`, { method: 'POST', body: '{}' });
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
});

void test('generates valid instances of a rich zod schema for many seeds', () => {
  type Thread = { text: string; replies: Thread[] };
  const Thread: z.ZodType<Thread> = z.object({ text: z.string(), get replies() { return z.array(Thread); } });
  const Rich = z.object({
    summary: z.string().max(80),
    confidence: z.number().min(0).max(1),
    stars: z.int().min(1).max(5),
    count: z.int().positive(),
    tags: z.array(z.string().min(3).max(12)).min(2).max(4),
    note: z.string().optional(),
    reviewer: z.email().nullable(),
    id: z.uuid(),
    at: z.iso.datetime(),
    time: z.iso.time(),
    sku: z.string().regex(/^[A-Z]{3}-\d{4}$/),
    scores: z.record(z.enum(['price', 'quality']), z.number()),
    pair: z.tuple([z.string(), z.boolean()]),
    action: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('refund'), amountCents: z.int().nonnegative() }),
      z.object({ kind: z.literal('reply'), text: z.string() }),
    ]),
    both: z.intersection(z.object({ a: z.string() }), z.object({ b: z.number() })),
    thread: Thread,
  });
  const schema = z.toJSONSchema(Rich);
  for (let seed = 0; seed < 300; seed += 1) {
    const instance = jsonSchemaInstance(schema, createRng(seed, 0));
    const result = Rich.safeParse(instance);
    assert.ok(result.success, `seed ${seed} gave an invalid instance: ${JSON.stringify(instance)} ${result.error?.message}`);
  }
});

void test('the standalone entry prints its URL when listening and exits cleanly on SIGTERM', async () => {
  const STARTUP_TIMEOUT_MS = 20_000;
  const child = spawn(process.execPath, ['--import', 'tsx', 'dev/llm-simulator/main.ts', '--port', '0', '--seed', '5'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const lines = createInterface({ input: child.stdout });
    const firstLine = await Promise.race([
      once(lines, 'line').then(([line]) => String(line)),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no listening line within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS).unref()),
    ]);
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(firstLine)?.[0];
    assert.ok(url, `no URL in ${JSON.stringify(firstLine)}`);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
