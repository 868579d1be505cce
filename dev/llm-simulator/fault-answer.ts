// The answers of the content faults (`malformed-json`, `wrong-fields`, `bad-tool-args`): a clean
// answer to the plan, drawn from the fault stream, then broken. They never take a number in the
// answer sequence, so the clean answer after a faulted call is the one it would have been.
import { contentSchema, pickTool, requestSchemaInstance, toolSchema, FORMAT_SCHEMA_PARAM } from './compose-answer';
import { corruptJson } from './corrupt-json';
import type { FaultName } from './faults';
import type { Answer, AnswerPlan } from './model-call';
import type { Rng } from './prng';
import { violateSchema } from './violate-schema';

export type ContentFault = Extract<FaultName, 'malformed-json' | 'wrong-fields' | 'bad-tool-args'>;
export const CONTENT_FAULTS: readonly FaultName[] = ['malformed-json', 'wrong-fields', 'bad-tool-args'];

export const isContentFault = (fault: FaultName): fault is ContentFault => CONTENT_FAULTS.includes(fault);

/** Whether a fault can be served to a request with this plan: hallucinated arguments need tools. */
export function faultApplies(fault: FaultName, plan: AnswerPlan): boolean {
  return fault !== 'bad-tool-args' || plan.tools.length > 0;
}

/** A broken answer and a few words saying what was broken. */
export function faultAnswer(fault: ContentFault, plan: AnswerPlan, rng: Rng): { answer: Answer; detail: string } {
  // Hallucinated arguments go to a tool call even when the request let the model answer in text.
  const tools = fault === 'bad-tool-args' && plan.forcedTools.length === 0 ? plan.tools : plan.forcedTools;
  if (tools.length > 0) {
    const tool = pickTool(tools, rng);
    const schema = toolSchema(tool);
    const instance = requestSchemaInstance(schema, tool.schemaParam, rng);
    const broken = breakInstance(fault, schema, instance, rng);
    return { answer: { kind: 'tool-call', toolName: tool.name, arguments: broken.text }, detail: `${tool.name} arguments ${broken.detail}` };
  }
  const schema = contentSchema(plan.format);
  const broken = breakInstance(fault, schema, requestSchemaInstance(schema, FORMAT_SCHEMA_PARAM, rng), rng);
  return { answer: { kind: 'text', text: broken.text }, detail: `content ${broken.detail}` };
}

function breakInstance(fault: ContentFault, schema: unknown, instance: unknown, rng: Rng): { text: string; detail: string } {
  if (fault === 'malformed-json') return corruptJson(JSON.stringify(instance), rng);
  const violation = violateSchema(schema, instance, fault === 'bad-tool-args' ? 'hallucinated' : 'wrong-fields', rng);
  return { text: JSON.stringify(violation.value), detail: violation.detail };
}
