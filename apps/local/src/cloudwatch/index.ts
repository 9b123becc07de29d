export * from './emf';
export * from './metric-store';
export * from './alarm-rules';
export * from './alarm-notification';
export * from './alarm';
export * from './water-balance-alarm';
