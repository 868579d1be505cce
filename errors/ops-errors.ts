// Operations (kta replay, kta review): runs and histories that cannot be found or read.
/** `kta replay` was asked for a run Temporal does not have (a mistyped ID, or its retention ran out). */
export class WorkflowHistoryNotFoundError extends Error {
  override name = 'WorkflowHistoryNotFoundError';
  constructor(
    readonly workflowId: string,
    readonly namespace: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Workflow ${workflowId} was not found in namespace ${namespace}, so there is no history to replay; check the ID ` +
        `(\`temporal workflow describe -w ${workflowId}\`), or, if its retention ran out, replay a recorded copy with --file`,
      options,
    );
  }
}

/** A recorded history file that cannot be replayed because it cannot be read as a history. */
export class HistoryFileError extends Error {
  override name = 'HistoryFileError';
  constructor(
    readonly path: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(
      `History file ${path} cannot be replayed: ${problem}; give the JSON written by \`temporal workflow show --output json\`, ` +
        'by the SDK\'s historyToJSON or by `kta replay --save`',
      options,
    );
  }
}

/** A command named a run that Temporal does not have (a mistyped ID, another namespace, or retention ran out). */
export class WorkflowNotFoundByIdError extends Error {
  override name = 'WorkflowNotFoundByIdError';
  constructor(
    readonly workflowId: string,
    readonly namespace: string,
    fix: string,
    options?: { cause?: unknown },
  ) {
    super(`Workflow ${workflowId} was not found in namespace ${namespace}; ${fix}`, options);
  }
}

/** A review decision for a run that is no longer waiting for one (decided already, or past its deadline). */
export class ReviewNotPendingError extends Error {
  override name = 'ReviewNotPendingError';
  constructor(
    readonly workflowId: string,
    readonly status: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Workflow ${workflowId} is not awaiting a review: it is ${status} (decided already, or its deadline passed); ` +
        '`kta review list` shows the runs that are',
      options,
    );
  }
}
