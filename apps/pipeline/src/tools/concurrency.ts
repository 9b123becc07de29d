import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { loadEnvironment } from '@lean-ops/config';
import { names } from '@lean-ops/contracts';
import { findTopicMapping, readBreakerState, setMaximumConcurrency } from './concurrency-aws';
import { decideConcurrency } from './concurrency-plan';
import { exitOnError } from './cli-errors';
import { pipelinePaths } from './paths';

const USAGE = [
  'usage: npm run concurrency -- --env <env> --topic <topic> [--dry-run] [--endpoint URL] [--dynamodb-endpoint URL]',
  "  Applies the topic's maximum_concurrency from environments/<env>.tfvars to its event source mapping, only while",
  '  its circuit breaker is CLOSED (Terraform leaves the live value to the breaker). Exit 3: refused (OPEN, HALF_OPEN).',
  '  --endpoint           Lambda (and DynamoDB) endpoint instead of AWS, e.g. the local stack',
  '  --dynamodb-endpoint  DynamoDB endpoint when it differs (the local stack: serve info endpoints.dynamodb)',
].join('\n');

/** Exit status when the breaker's state forbids the change. */
export const EXIT_REFUSED = 3;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { env: { type: 'string' }, topic: { type: 'string' }, 'dry-run': { type: 'boolean' }, endpoint: { type: 'string' }, 'dynamodb-endpoint': { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.env || !values.topic) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const env = values.env;
  const config = await loadEnvironment(path.join(pipelinePaths().environmentsDir, `${env}.tfvars`));
  const topic = config.topics.find((t) => t.name === values.topic);
  if (!topic) {
    process.stderr.write(`environments/${env}.tfvars has no topic ${JSON.stringify(values.topic)} (topics: ${config.topics.map((t) => t.name).join(', ')})\n`);
    process.exitCode = 2;
    return;
  }
  const region = config.region;
  const lambda = new LambdaClient({ region, ...(values.endpoint ? { endpoint: values.endpoint } : {}) });
  const ddbEndpoint = values['dynamodb-endpoint'] ?? values.endpoint;
  const ddb = new DynamoDBClient({ region, ...(ddbEndpoint ? { endpoint: ddbEndpoint } : {}) });
  try {
    const prefix = config.namePrefix;
    const mapping = await findTopicMapping(lambda, names.fn(prefix, 'sqs-processor'), names.topicQueue(prefix, topic.name));
    const breaker = await readBreakerState(ddb, names.table(prefix, 'locks'), topic.name);
    const current = mapping.ScalingConfig?.MaximumConcurrency;
    const decision = decideConcurrency({ topic: topic.name, environment: env, state: breaker.state, openedAt: breaker.openedAt, current, desired: topic.maximumConcurrency });
    const head = `topic ${topic.name}: breaker ${breaker.state}, mapping ${mapping.UUID} (${mapping.State}) maximum concurrency ${current ?? 'unset'}`;
    if (decision.action === 'unchanged') console.log(`${head}: already ${decision.value}`);
    else if (decision.action === 'refuse') {
      console.log(`${head}: not changed`);
      process.stderr.write(`refused: ${decision.reason}\n`);
      process.exitCode = EXIT_REFUSED;
    } else if (values['dry-run']) console.log(`${head}: would set ${decision.to} (dry run)`);
    else {
      await setMaximumConcurrency(lambda, mapping.UUID!, decision.to);
      const after = await readBreakerState(ddb, names.table(prefix, 'locks'), topic.name);
      console.log(`${head}: set to ${decision.to}`);
      // Informational: a breaker that opened meanwhile disabled the mapping; it keeps the new value for later.
      if (after.state !== 'CLOSED') console.log(`note: the breaker turned ${after.state} meanwhile; the mapping keeps ${decision.to} until the breaker changes it`);
    }
  } finally {
    lambda.destroy();
    ddb.destroy();
  }
}

main().catch(exitOnError);
