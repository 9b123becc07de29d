export * from './s3-server';
export * from './dynamo-server';
export * from './create-tables';
export * from './warehouse-mirror';
export * from './in-worker';
