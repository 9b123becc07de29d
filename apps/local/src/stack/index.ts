export { startLocalStack } from './local-stack';
export type { FirehoseFaults, LocalStack, LocalStackOptions, ServeInfo, StackActivity } from './local-stack';
export type { Progress } from './settle-progress';
export { SentLedger, messageIdentity } from './sent-ledger';
export { stackPlan, handlerEnvValues, type StackPlan } from './stack-plan';
export { REPO_ROOT, DEFAULT_ENV_FILE } from './repo-root';
