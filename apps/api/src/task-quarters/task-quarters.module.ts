import { Module, type DynamicModule } from '@nestjs/common';
import type { DubanEnv } from '@duban/config';
import { PlansModule } from '@duban/plans';
import { TaskQuarterActionsService } from './task-quarter-actions.service';
import { TaskQuarterQueryService } from './task-quarter-query.service';
import { TaskQuartersController } from './task-quarters.controller';

@Module({})
export class TaskQuartersModule {
  static forRoot(env: DubanEnv): DynamicModule {
    return {
      module: TaskQuartersModule,
      imports: [PlansModule.forRoot({ districtCode: env.DISTRICT_CODE })],
      controllers: [TaskQuartersController],
      providers: [TaskQuarterActionsService, TaskQuarterQueryService],
      exports: [TaskQuarterQueryService],
    };
  }
}
