import { OrganisationAndPlans1764300000000 } from './1764300000000-organisation-and-plans';
import { TaskQuarterProjection1764300100000 } from './1764300100000-task-quarter-projection';

/** In order; each has a real `down`. */
export const MIGRATIONS = [OrganisationAndPlans1764300000000, TaskQuarterProjection1764300100000];
