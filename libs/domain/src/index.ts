export * from './time';
export * from './owes';
export * from './ladder';
export * from './validation';
export * from './capacity';
