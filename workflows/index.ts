export { taskQuarterWorkflow } from './task-quarter.workflow';
