export * from './demo-organisation';
export * from './organisation.service';
export * from './organisation.module';
