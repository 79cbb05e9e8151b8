import 'reflect-metadata';
import {
  loadNotificationSettings,
  NotificationDispatcher,
  smtpSender,
  webhookSender,
} from '@duban/notifications';
import { createDataSource } from '@duban/persistence';

/**
 * The notification dispatcher on its own, without the Temporal worker: for scaling dispatch
 * separately and for the crash tests, which SIGKILL it mid-send. Reads DATABASE_URL and the
 * notification settings from the environment; stops cleanly on SIGTERM or SIGINT.
 */
async function main(): Promise<void> {
  const settings = loadNotificationSettings(process.env);
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const dataSource = createDataSource({ url });
  await dataSource.initialize();
  const dispatcher = new NotificationDispatcher(
    dataSource,
    settings,
    { email: smtpSender(settings), webhook: webhookSender(settings) },
    (m) => process.stderr.write(`${m}\n`),
  );
  dispatcher.start();
  const stop = async (): Promise<void> => {
    await dispatcher.stop();
    await dataSource.destroy();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  process.send?.('ready');
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
