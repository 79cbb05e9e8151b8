export * from './ids';
export * from './actor';
export * from './errors';
export * from './search-attributes';
export * from './task-quarter';
export * from './messages';
export * from './activities';
