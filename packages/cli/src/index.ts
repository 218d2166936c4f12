export { runCli } from './cli.js';
export { ApiError, RampartClient } from './client.js';
export { runAgent, fillCommand } from './commands/agent.js';
export type { TAgentOptions, TAgentResult } from './commands/agent.js';
export { pushMetricsCommand } from './commands/push-metrics.js';
export { actionCommand, createCommand, resolvePlaybookId, statusCommand } from './commands/release.js';
export { parseDuration, waitCommand, waitExitCode } from './commands/wait.js';
export { CliExit, EXIT } from './exit-codes.js';
export type { TIo } from './io.js';
