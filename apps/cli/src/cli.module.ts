import { Module, type DynamicModule } from '@nestjs/common';
import { DubanConfigModule, type DubanEnv } from '@duban/config';
import { OrganisationModule } from '@duban/organisation';
import { DatabaseModule } from '@duban/persistence';
import { PlansModule } from '@duban/plans';
import { ReportsModule } from '@duban/reports';
import { TemporalClientModule } from '@duban/temporal';

/** What the command line needs: the same services the API uses, without HTTP. */
@Module({})
export class CliModule {
  static forRoot(env: DubanEnv): DynamicModule {
    return {
      module: CliModule,
      imports: [
        DubanConfigModule.forRoot(env),
        DatabaseModule.forRoot({
          url: env.DATABASE_URL,
          ssl: env.DATABASE_SSL === 'true',
          poolSize: 4,
        }),
        TemporalClientModule.forRoot({
          address: env.TEMPORAL_ADDRESS,
          namespace: env.TEMPORAL_NAMESPACE,
          taskQueue: env.TEMPORAL_TASK_QUEUE,
        }),
        OrganisationModule,
        PlansModule.forRoot({ districtCode: env.DISTRICT_CODE }),
        ReportsModule,
      ],
    };
  }
}
