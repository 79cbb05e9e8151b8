export * from './plan-import.service';
export * from './plan-query.service';
export * from './plans.module';
export * from './plans.options';
export * from './plan-activation.service';
