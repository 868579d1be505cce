// The answer type of each structured-output task, by task name, for type-checking workflows'
// `askModel(task, ...)` calls. Each agent adds its tasks from its own output.ts by declaration merging
// (`declare module '../../core/model-tasks' { interface ModelTasks { my_task: MyAnswer } }`), so adding
// an agent never edits this file. Types only: nothing here reaches the workflow bundle.

export interface ModelTasks {}

export type ModelTask = keyof ModelTasks & string;
