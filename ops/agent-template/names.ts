// The names of a new agent (`kta new agent <workflowType>`), every one derived from its workflow type.

export interface AgentNames {
  /** The workflow type and function name: `summarizeTicket`. */
  readonly workflowType: string;
  /** The folder: `summarize-ticket`. */
  readonly folder: string;
  /** `SummarizeTicket`. */
  readonly pascal: string;
  /** The model task and the table's stem: `summarize_ticket`. */
  readonly snake: string;
  /** The registry's constant: `summarizeTicketAgent`. */
  readonly constant: string;
}

export function agentNames(workflowType: string): AgentNames {
  const words = workflowType.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(' ');
  return {
    workflowType,
    folder: words.join('-'),
    pascal: workflowType[0].toUpperCase() + workflowType.slice(1),
    snake: words.join('_'),
    constant: `${workflowType}Agent`,
  };
}

