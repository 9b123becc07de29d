export { parseRedriveArgs, RedriveUsageError, REDRIVE_USAGE, type RedriveArgs, type RedriveSource } from './args';
export { resolveTargets, readStackInfo, type RedriveTargets, type StackInfo } from './targets';
export { runRedrive, type RedriveSummary } from './redrive';
export { pauseDlqConsumers } from './pause-dlq-consumers';
