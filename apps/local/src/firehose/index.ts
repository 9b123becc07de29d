export * from './firehose-service';
export * from './delivery-stream';
export * from './firehose-faults';
export * from './firehose-limits';
export * from './error-output';
