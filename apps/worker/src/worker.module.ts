import { Module, type DynamicModule } from '@nestjs/common';
import { DubanConfigModule, type DubanEnv } from '@duban/config';
import { DatabaseModule } from '@duban/persistence';
import { NotificationsModule } from '@duban/notifications';
import { ProjectionModule } from './projection/projection.module';

@Module({})
export class WorkerModule {
  static forRoot(env: DubanEnv): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        DubanConfigModule.forRoot(env),
        DatabaseModule.forRoot({ url: env.DATABASE_URL, ssl: env.DATABASE_SSL === 'true' }),
        NotificationsModule.forRoot(),
        ProjectionModule,
      ],
    };
  }
}
