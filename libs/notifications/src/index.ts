export * from './settings';
export * from './signature';
export * from './message';
export * from './outbox';
export * from './transports';
export * from './dispatcher';
export * from './notifications.module';
