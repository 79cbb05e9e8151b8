import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { NotificationDispatcher } from './dispatcher';
import { loadNotificationSettings, NotificationSettings } from './settings';
import { smtpSender, webhookSender } from './transports';

/**
 * Provides the validated settings and the dispatcher. Global so that the projection can take the
 * settings without its module importing this one. The dispatcher is started by the worker, not
 * on module init, so the API process never dispatches.
 */
@Global()
@Module({})
export class NotificationsModule {
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    const settings = loadNotificationSettings(env);
    return {
      module: NotificationsModule,
      providers: [
        { provide: NotificationSettings, useValue: settings },
        {
          provide: NotificationDispatcher,
          inject: [getDataSourceToken()],
          useFactory: (dataSource: DataSource) => {
            const logger = new Logger('NotificationDispatcher');
            return new NotificationDispatcher(
              dataSource,
              settings,
              { email: smtpSender(settings), webhook: webhookSender(settings) },
              (m) => logger.warn(m),
            );
          },
        },
      ],
      exports: [NotificationSettings, NotificationDispatcher],
    };
  }
}
