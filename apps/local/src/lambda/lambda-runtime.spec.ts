import { functionNameOf, workerExecArgv } from './lambda-runtime';

describe('workerExecArgv', () => {
  const parent = ['--openssl-legacy-provider', '--import', 'tsx', '--inspect=9229', '--require=./x.js', '--max-old-space-size=512'];
  it('keeps runtime flags and drops debugger flags and module loaders for a built bundle', () => {
    expect(workerExecArgv(parent, '/b/sqs-processor/index.js')).toEqual(['--openssl-legacy-provider', '--max-old-space-size=512']);
  });
  it('keeps module loaders for a TypeScript handler', () => {
    expect(workerExecArgv(parent, '/src/handler.ts')).toEqual(['--openssl-legacy-provider', '--import', 'tsx', '--require=./x.js', '--max-old-space-size=512']);
  });
});

describe('functionNameOf', () => {
  it.each([
    ['lo-dev-sqs-processor', 'lo-dev-sqs-processor'],
    ['lo-dev-sqs-processor:$LATEST', 'lo-dev-sqs-processor'],
    ['000000000000:function:lo-dev-sqs-processor', 'lo-dev-sqs-processor'],
    ['arn:aws:lambda:eu-west-1:000000000000:function:lo-dev-sqs-processor:1', 'lo-dev-sqs-processor'],
  ])('%s -> %s', (input, name) => expect(functionNameOf(input)).toBe(name));
});
