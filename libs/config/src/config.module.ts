import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DubanEnv, loadEnv } from './env';

/** Makes the validated environment injectable as `DubanEnv`. */
@Global()
@Module({})
export class DubanConfigModule {
  static forRoot(env: DubanEnv = loadEnv()): DynamicModule {
    return {
      module: DubanConfigModule,
      providers: [{ provide: DubanEnv, useValue: env }],
      exports: [DubanEnv],
    };
  }
}
