import type { AwsRequest } from '../aws-service';
import { glueCall } from './glue-calls';

const at = { region: 'us-east-1', accountId: '000000000000' };
const arn = 'arn:aws:glue:us-east-1:000000000000';
const req = (operation: string, input: unknown): AwsRequest => ({
  method: 'POST',
  path: '/',
  query: new URLSearchParams(),
  headers: {},
  body: Buffer.from(typeof input === 'string' ? input : JSON.stringify(input)),
  target: `AWSGlue.${operation}`,
});

describe('Glue calls as IAM decides them: the action on the catalog, the database and the table', () => {
  it.each([
    ['GetTable', { DatabaseName: 'Lake', Name: 'Raw' }, `${arn}:table/lake/raw`, [`${arn}:catalog`, `${arn}:database/lake`]],
    ['UpdateTable', { DatabaseName: 'lake', TableInput: { Name: 'raw' }, VersionId: '1' }, `${arn}:table/lake/raw`, [`${arn}:catalog`, `${arn}:database/lake`]],
    ['GetTables', { DatabaseName: 'lake' }, `${arn}:table/lake/*`, [`${arn}:catalog`, `${arn}:database/lake`]],
    ['GetDatabase', { Name: 'lake' }, `${arn}:database/lake`, [`${arn}:catalog`]],
    ['GetDatabases', {}, `${arn}:database/*`, [`${arn}:catalog`]],
  ])('%s', (operation, input, resource, alsoOn) => {
    expect(glueCall(req(operation, input), at)).toEqual({ operation, action: `glue:${operation}`, resource, alsoOn });
  });

  it('leaves a body that is not JSON to the service', () => {
    expect(glueCall(req('GetTable', '{'), at)).toBeUndefined();
  });
});
