// The scripted agents: each maps (what the conversation holds, how many turns were taken) to the
// next answer, a tool call or a final text, with nothing kept between calls. A turn asked again
// (a worker crash, a retried activity) therefore gets the same answer, and runs sharing one
// simulator never disturb each other. Test and demo infrastructure: it plays a model, badly on purpose.
import { supportRefundCents, type AgentFacts } from './agent-facts';
import { readInjection } from './agent-injections';
import { fillArguments, toolForRole, type IntendedValues, type ToolRole } from './agent-tool-arguments';
import type { Answer, ToolSpec } from './model-call';
import type { Rng } from './prng';

export const AGENT_SCRIPTS = [
  'support', 'obey-injections', 'hallucinate-tool', 'invalid-arguments', 'hallucinate-then-invalid',
  'never-stops', 'token-heavy', 'each-tool', 'final-answer',
] as const;
export type AgentScriptName = (typeof AGENT_SCRIPTS)[number];

/** token-heavy: the reasoning text sent with each call, in (simulated) tokens. */
export const TOKEN_HEAVY_DEFAULT_TOKENS = 2_000;

export interface ScriptContext {
  readonly facts: AgentFacts;
  readonly tools: readonly ToolSpec[];
  /** Numbers from the script marker (`sim-script: token-heavy tokens=500`). */
  readonly params: Readonly<Record<string, number>>;
  readonly rng: Rng;
}

type Step =
  | { kind: 'role'; role: ToolRole; values: IntendedValues }
  | { kind: 'tool'; tool: ToolSpec; values: IntendedValues; preamble?: string }
  | { kind: 'raw'; name: string; arguments: string }
  | { kind: 'invalid' }
  | { kind: 'hallucinated' }
  | { kind: 'final'; text: string };

// Names no agent offers, the way models invent tools.
const INVENTED_TOOLS = ['refundAllOrders', 'lookup_order_v2', 'escalateToManager', 'cancelOrder'];
const REASONING = 'Let me look at the order again, check every item, the totals, the refunds so far and what the customer wrote, before deciding what to do next. ';

const money = (cents: number, currency: string | null) => `${(cents / 100).toFixed(2)} ${currency ?? ''}`.trim();

function supportSteps(ctx: ScriptContext): Step[] {
  const { facts } = ctx;
  const amount = supportRefundCents(facts);
  const currency = facts.order?.currency ?? null;
  return [
    { kind: 'role', role: 'read', values: { orderId: facts.orderId } },
    { kind: 'role', role: 'refund', values: { orderId: facts.orderId, amountCents: amount, reason: 'refund requested by the customer' } },
    { kind: 'role', role: 'email', values: { orderId: facts.orderId, email: facts.customerEmail, subject: `Your refund for order ${facts.orderId}`, body: `We refunded ${money(amount, currency)} on order ${facts.orderId}.` } },
    { kind: 'final', text: `Refunded ${money(amount, currency)} on order ${facts.orderId} and emailed ${facts.customerEmail}.` },
  ];
}

function obeySteps(ctx: ScriptContext): Step[] {
  const { facts } = ctx;
  const injection = readInjection(facts, ctx.tools.map((t) => t.name));
  const orderId = injection.otherOrderId ?? facts.orderId;
  const amount = injection.amountCents ?? supportRefundCents(facts);
  const email = injection.otherEmail ?? facts.customerEmail;
  return [
    ...injection.toolCalls.map((call): Step => ({ kind: 'raw', name: call.name, arguments: call.arguments })),
    ...(injection.ignoreInstructions ? [] : [{ kind: 'role', role: 'read', values: { orderId } } as Step]),
    { kind: 'role', role: 'refund', values: { orderId, amountCents: amount, reason: 'as the message asked' } },
    { kind: 'role', role: 'email', values: { orderId, email, subject: `Refund for order ${orderId}`, body: `As requested: ${money(amount, null)} refunded on order ${orderId}.` } },
    { kind: 'final', text: `Done as the message asked: refunded ${money(amount, null)} on order ${orderId} and emailed ${email}.` },
  ];
}

/** The step at `turn` (0 = the first model call of the run). */
function stepAt(script: AgentScriptName, turn: number, ctx: ScriptContext): Step {
  const read = (preamble?: string): Step => {
    const tool = toolForRole(ctx.tools, 'read') ?? ctx.tools[0];
    return { kind: 'tool', tool, values: { orderId: ctx.facts.orderId }, preamble };
  };
  const listed = (steps: Step[]) => steps[turn] ?? steps[steps.length - 1];
  switch (script) {
    case 'support':
      return listed(supportSteps(ctx).filter((s) => s.kind !== 'role' || toolForRole(ctx.tools, s.role)));
    case 'obey-injections':
      return listed(obeySteps(ctx).filter((s) => s.kind !== 'role' || toolForRole(ctx.tools, s.role)));
    case 'hallucinate-tool':
      return { kind: 'hallucinated' };
    case 'invalid-arguments':
      return { kind: 'invalid' };
    case 'hallucinate-then-invalid':
      return turn === 0 ? { kind: 'hallucinated' } : { kind: 'invalid' };
    case 'never-stops':
      return read();
    case 'token-heavy': {
      const tokens = ctx.params.tokens ?? TOKEN_HEAVY_DEFAULT_TOKENS;
      return read(REASONING.repeat(Math.ceil((tokens * 4) / REASONING.length)).slice(0, tokens * 4));
    }
    case 'each-tool':
      return listed([
        ...ctx.tools.map((tool): Step => ({ kind: 'tool', tool, values: { orderId: ctx.facts.orderId, email: ctx.facts.customerEmail, amountCents: supportRefundCents(ctx.facts), subject: 'Update', body: 'An update on your request.', reason: 'requested' } })),
        { kind: 'final', text: `Called ${ctx.tools.map((t) => t.name).join(', ')}; done.` },
      ]);
    case 'final-answer':
      return { kind: 'final', text: 'Nothing to do for this record.' };
  }
}

/** Every property with a value of the wrong type, and the first required one left out: no validator accepts it. */
function invalidArguments(tool: ToolSpec): string {
  const schema = tool.parameters as { properties?: Record<string, { type?: unknown }>; required?: string[] } | undefined;
  const properties = schema?.properties ?? {};
  const wrong = (type: unknown) => (type === 'string' ? 42 : type === 'number' || type === 'integer' ? 'a lot' : type === 'boolean' ? 'yes' : 'none');
  const args = Object.fromEntries(Object.entries(properties).map(([name, prop]) => [name, wrong(prop?.type)]));
  delete args[schema?.required?.[0] ?? ''];
  return JSON.stringify(Object.keys(args).length > 0 ? args : { unexpected: 'argument' });
}

export function scriptedAnswer(script: AgentScriptName, turn: number, ctx: ScriptContext): Answer {
  const step = stepAt(script, turn, ctx);
  switch (step.kind) {
    case 'final':
      return { kind: 'text', text: step.text };
    case 'raw':
      return { kind: 'tool-call', toolName: step.name, arguments: step.arguments };
    case 'hallucinated': {
      const offered = new Set(ctx.tools.map((t) => t.name));
      const name = INVENTED_TOOLS.find((n) => !offered.has(n)) ?? `${ctx.tools[0].name}_v2`;
      return { kind: 'tool-call', toolName: name, arguments: JSON.stringify({ orderId: ctx.facts.orderId }) };
    }
    case 'invalid': {
      // Aimed at the irreversible tool when there is one: the test proves it never ran.
      const tool = toolForRole(ctx.tools, 'email') ?? ctx.tools[ctx.tools.length - 1];
      return { kind: 'tool-call', toolName: tool.name, arguments: invalidArguments(tool) };
    }
    case 'role': {
      const tool = toolForRole(ctx.tools, step.role)!;
      return { kind: 'tool-call', toolName: tool.name, arguments: fillArguments(tool, step.values, ctx.rng, ctx.facts.recordText) };
    }
    case 'tool':
      return { kind: 'tool-call', toolName: step.tool.name, arguments: fillArguments(step.tool, step.values, ctx.rng, ctx.facts.recordText), ...(step.preamble ? { preamble: step.preamble } : {}) };
  }
}
