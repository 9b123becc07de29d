export type { EnvironmentConfig, TopicConfig, LambdaConfig } from './types';
export { ConfigError } from './config-error';
export { parseEnvironment, loadEnvironment, loadEnvironments, displayPath, environmentName, ENVIRONMENT_FILE_EXTENSION, type ParseResult } from './load';
export { environmentFileSchema, type EnvironmentFile, type EnvironmentSettings } from './schema';
export { CONFIG_DEFAULTS, CONFIG_LIMITS } from './defaults';
export { problemLine, keyPath, showValue, unknownKeyRule, allowedKeys, issuesToLines, type AllowedKeys, type ProblemOptions } from './problems';
export { handlerTuning, type HandlerTuning } from './handler-tuning';
