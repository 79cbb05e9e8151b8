import { Module, type DynamicModule } from '@nestjs/common';
import type { DubanEnv } from '@duban/config';
import { TaskQuartersModule } from '../task-quarters/task-quarters.module';
import { InboxController } from './inbox.controller';
import { InboxService } from './inbox.service';

@Module({})
export class InboxModule {
  static forRoot(env: DubanEnv): DynamicModule {
    return {
      module: InboxModule,
      imports: [TaskQuartersModule.forRoot(env)],
      controllers: [InboxController],
      providers: [InboxService],
    };
  }
}
