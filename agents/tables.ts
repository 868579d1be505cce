// Every agent's own tables, from the registry: the worker creates them at start, doctor checks them.
import { AGENTS } from './registry';

export const agentTables = (agents = AGENTS): string[] => agents.flatMap((a) => a.tables);
