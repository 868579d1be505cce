// The answer of a scripted agent turn: the script's step for this turn, with a random stream keyed
// by the simulator's seed, the run and the turn (never by call order), so concurrent runs and a turn
// asked again after a crash get exactly the same answer.
import { createHash } from 'node:crypto';
import type { AgentTurn } from './agent-choice';
import { scriptedAnswer } from './agent-scripts';
import type { Answer, AnswerPlan } from './model-call';
import { createRng } from './prng';

export function agentAnswer(agent: AgentTurn, plan: AnswerPlan, seed: number): Answer {
  const key = createHash('sha256').update(`${agent.run}/${agent.turn}`).digest().readUInt32BE(0);
  return scriptedAnswer(agent.script, agent.turn, { facts: agent.facts, tools: plan.tools, params: agent.params, rng: createRng(seed, key) });
}
