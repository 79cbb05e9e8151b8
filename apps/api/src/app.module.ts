import { Module, type DynamicModule } from '@nestjs/common';
import { DubanConfigModule, type DubanEnv } from '@duban/config';
import { DatabaseModule } from '@duban/persistence';
import { TemporalClientModule } from '@duban/temporal';
import { AuditApiModule } from './audit/audit-api.module';
import { AuthModule } from './auth/auth.module';
import { HealthModule } from './health/health.module';
import { InboxModule } from './inbox/inbox.module';
import { NoticesModule } from './notices/notices.module';
import { PlansApiModule } from './plans/plans-api.module';
import { ReportsApiModule } from './reports/reports-api.module';
import { TaskQuartersModule } from './task-quarters/task-quarters.module';
import { UnitsModule } from './units/units.module';

@Module({})
export class AppModule {
  static forRoot(env: DubanEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DubanConfigModule.forRoot(env),
        DatabaseModule.forRoot({ url: env.DATABASE_URL, ssl: env.DATABASE_SSL === 'true' }),
        TemporalClientModule.forRoot({
          address: env.TEMPORAL_ADDRESS,
          namespace: env.TEMPORAL_NAMESPACE,
          taskQueue: env.TEMPORAL_TASK_QUEUE,
        }),
        AuthModule,
        HealthModule,
        UnitsModule,
        PlansApiModule.forRoot(env),
        TaskQuartersModule.forRoot(env),
        InboxModule.forRoot(env),
        NoticesModule,
        AuditApiModule,
        ReportsApiModule,
      ],
    };
  }
}
