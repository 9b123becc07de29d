export * from './sns-service';
