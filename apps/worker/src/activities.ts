import type { TaskQuarterActivities } from '@duban/contracts';
import type { ProjectionService } from './projection/projection.service';

/** Binds the injectable services into the plain activities object Temporal's worker expects. */
export function createActivities(projection: ProjectionService): TaskQuarterActivities {
  return {
    async recordTaskQuarter(snapshot) {
      await projection.record(snapshot);
    },
  };
}
