export { startLocalStack } from './local-stack';
export type { FirehoseFaults, LocalStack, LocalStackOptions, ServeInfo, StackActivity } from './local-stack';
export type { Progress } from './settle-progress';
export { SentLedger } from './sent-ledger';
export { stackPlanOf, type StackPlan } from '../plan/stack-plan-of';
export { REPO_ROOT, DEFAULT_ENV_FILE } from './repo-root';
