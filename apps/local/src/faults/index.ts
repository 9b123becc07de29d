export { FaultRegistry } from './fault-registry';
