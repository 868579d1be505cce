// The names of a tool-using agent's tools (`kta new agent <name> --tools`), derived from its name so
// two scaffolded agents never register the same activity.
import type { AgentNames } from './names';

export interface ToolNames {
  /** The read tool: `readTriageTicketItem`. */
  readonly read: string;
  /** The reversible tool: `labelTriageTicketItem`. */
  readonly act: string;
  /** Its undo: `unlabelTriageTicketItem`. */
  readonly undo: string;
  /** Its table: `triage_ticket_labels`. */
  readonly table: string;
}

export const toolNames = (n: AgentNames): ToolNames => ({
  read: `read${n.pascal}Item`,
  act: `label${n.pascal}Item`,
  undo: `unlabel${n.pascal}Item`,
  table: `${n.snake}_labels`,
});
