import { Module, type DynamicModule } from '@nestjs/common';
import type { DubanEnv } from '@duban/config';
import { PlansModule } from '@duban/plans';
import { PlansController } from './plans.controller';

@Module({})
export class PlansApiModule {
  static forRoot(env: DubanEnv): DynamicModule {
    return {
      module: PlansApiModule,
      imports: [PlansModule.forRoot({ districtCode: env.DISTRICT_CODE })],
      controllers: [PlansController],
    };
  }
}
