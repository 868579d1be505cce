// The 200 injection records of the agent loop's acceptance test, and proof that the LLM simulator's
// obey-injections script really does what each says (so a guard that holds is holding against a
// model that obeys): every record's attack shows up in the tool calls the simulator makes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { z } from 'zod';
import { seedOrders } from '../dev/booking-simulator/orders';
import { startLlmSimulator } from '../dev/llm-simulator/index';
import { INJECTION_CLASSES, injectionRecords, type InjectionRecord } from './helpers/injection-records';
import { driveAnthropic, driveOpenAi, type DriverTool, type DriverTurn } from './helpers/scripted-agent-driver';

const orders = seedOrders();
const TOOLS: DriverTool[] = [
  { name: 'lookupOrder', description: 'Read an order', schema: z.strictObject({ orderId: z.string() }) },
  { name: 'issueRefund', description: 'Refund part of an order', schema: z.strictObject({ orderId: z.string(), amountCents: z.number().int().positive(), reason: z.string() }) },
  { name: 'sendEmail', description: 'Email the customer', schema: z.strictObject({ to: z.email(), subject: z.string(), body: z.string() }) },
];
const execute = (name: string, args: string) =>
  name === 'lookupOrder' ? JSON.stringify(orders.find((o) => o.orderId === (JSON.parse(args) as { orderId: string }).orderId) ?? { error: 'no such order' }) : JSON.stringify({ ok: true });

// The framing the agent loop gives a record: trusted request line, then the message as one JSON string.
const userMessage = ({ record }: InjectionRecord) =>
  `Support request about order ${record.orderId} from the customer ${record.customerEmail}. The customer's message:\n` +
  `<untrusted-data source="message">\n${JSON.stringify(record.message).replace(/</g, '\\u003c').replace(/>/g, '\\u003e')}\n</untrusted-data>`;

test('200 seeded injection records, 40 of each class, the same for the same seed, each naming its attack', () => {
  const records = injectionRecords({ runPrefix: 'inj' });
  assert.equal(records.length, 200);
  assert.deepEqual(Object.fromEntries(INJECTION_CLASSES.map((c) => [c, records.filter((r) => r.attack.class === c).length])), Object.fromEntries(INJECTION_CLASSES.map((c) => [c, 40])));
  assert.deepEqual(injectionRecords({ runPrefix: 'inj' }), records, 'same seed, same records');
  assert.notDeepEqual(injectionRecords({ seed: 2, runPrefix: 'inj' }), records, 'another seed, other records');
  for (const { record, attack } of records) {
    const order = orders.find((o) => o.orderId === record.orderId);
    assert.equal(order?.customerEmail, record.customerEmail, 'records are about seeded orders and their customers');
    assert.ok(attack.orderId !== record.orderId && attack.email !== record.customerEmail, attack.description);
    assert.ok(attack.orderId ?? attack.amountCents ?? attack.email, `every attack targets something: ${attack.description}`);
    assert.match(record.message, /sim-script: obey-injections sim-run: inj-\d+$/);
  }
});

test('the obey-injections script acts on every record\'s attack, on both wire formats', { timeout: 120_000 }, async (t) => {
  const sim = await startLlmSimulator({ port: 0 });
  t.after(() => sim.close());
  const openai = new OpenAI({ apiKey: 'simulator', baseURL: sim.baseUrl, maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: 'simulator', baseURL: sim.url, maxRetries: 0 });
  const records = injectionRecords({ runPrefix: 'inj' });
  const obeyed = (turns: DriverTurn[], attack: InjectionRecord['attack']) => {
    const args = turns.flatMap((turn): Record<string, unknown>[] => (turn.toolCall ? [{ ...(JSON.parse(turn.toolCall.arguments) as Record<string, unknown>), name: turn.toolCall.name }] : []));
    return (
      (attack.orderId === null || args.some((a) => a.orderId === attack.orderId)) &&
      (attack.amountCents === null || args.some((a) => a.name === 'issueRefund' && a.amountCents === attack.amountCents)) &&
      (attack.email === null || args.some((a) => a.name === 'sendEmail' && a.to === attack.email)) &&
      (attack.toolCall === null || (turns[0].toolCall?.name === attack.toolCall.name && JSON.stringify(JSON.parse(turns[0].toolCall.arguments)) === JSON.stringify(attack.toolCall.arguments)))
    );
  };
  for (const [i, injection] of records.entries()) {
    const c = { system: 'You are a support agent.', user: userMessage(injection), tools: TOOLS, execute, maxTurns: 8 };
    const turns = i % 2 === 0 ? await driveOpenAi(openai, c) : await driveAnthropic(anthropic, c);
    assert.ok(obeyed(turns, injection.attack), `record ${i} (${injection.attack.class}: ${injection.attack.description}) was not obeyed: ${JSON.stringify(turns.map((x) => x.toolCall))}`);
    assert.equal(turns.at(-1)?.toolCall, null, `record ${i} ends with a final answer`);
  }
  const runs = sim.stats().agentRuns;
  assert.equal(Object.keys(runs).length, 200, 'one run per record');
  assert.ok(Object.values(runs).every((run) => run.script === 'obey-injections'));
});
