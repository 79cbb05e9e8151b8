import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DubanEnv } from '@duban/config';
import { temporalSecurity } from '@duban/temporal';
import { bundlerOptions } from '@duban/temporal/workflow-bundle';
import { NotificationDispatcher } from '@duban/notifications';
import { createActivities } from './activities';
import { ProjectionService } from './projection/projection.service';
import { WorkerModule } from './worker.module';

export interface DubanWorker {
  app: INestApplicationContext;
  worker: Worker;
  connection: NativeConnection;
  /** Runs until shutdown() is called or the worker fails. */
  run(): Promise<void>;
  /** Stops polling, lets in-flight tasks finish, then closes the connection and the context. */
  shutdown(): Promise<void>;
}

export interface DubanWorkerOptions {
  /** Nest logger for the application context (a JsonLogger in production). */
  logger?: LoggerService | LogLevel[];
}

/**
 * The worker is a Nest application context: activities are injectable services bound into the
 * activities object. Production loads the prebuilt bundle (WORKFLOW_BUNDLE_PATH); elsewhere the
 * workflows are bundled from source at start.
 */
function workflowSource(env: DubanEnv): Partial<WorkerOptions> {
  if (env.WORKFLOW_BUNDLE_PATH) return { workflowBundle: { codePath: env.WORKFLOW_BUNDLE_PATH } };
  if (env.NODE_ENV === 'production') {
    throw new Error('WORKFLOW_BUNDLE_PATH must name the prebuilt workflow bundle in production');
  }
  const { workflowsPath, webpackConfigHook } = bundlerOptions();
  return { workflowsPath, bundlerOptions: { webpackConfigHook } };
}

export async function createDubanWorker(
  env: DubanEnv,
  overrides: Partial<WorkerOptions> = {},
  options: DubanWorkerOptions = {},
): Promise<DubanWorker> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), {
    logger:
      options.logger ?? (env.NODE_ENV === 'test' ? ['error', 'warn'] : ['log', 'error', 'warn']),
  });
  const connection = await NativeConnection.connect({
    address: env.TEMPORAL_ADDRESS,
    ...temporalSecurity(env),
  });
  const worker = await Worker.create({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    activities: createActivities(app.get(ProjectionService)),
    // On SIGTERM the SDK stops polling at once; activities already running get this long to
    // finish before they are cancelled (Kubernetes' terminationGracePeriodSeconds must be longer).
    ...(env.SHUTDOWN_GRACE_MS !== undefined ? { shutdownGraceTime: env.SHUTDOWN_GRACE_MS } : {}),
    ...(env.WORKER_IDENTITY ? { identity: env.WORKER_IDENTITY } : {}),
    ...(env.WORKER_MAX_CACHED_WORKFLOWS !== undefined
      ? { maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS }
      : {}),
    ...workflowSource(env),
    ...overrides,
  });
  let running: Promise<void> | undefined;
  // The notification dispatcher lives and dies with the worker.
  const dispatcher = app.get(NotificationDispatcher);
  return {
    app,
    worker,
    connection,
    run() {
      dispatcher.start();
      running ??= worker.run();
      return running;
    },
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running?.catch(() => undefined);
      await dispatcher.stop();
      await connection.close();
      await app.close();
    },
  };
}

export interface WorkerHealthServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * A tiny HTTP endpoint for the orchestrator: `/health/live` answers 200 while the worker has not
 * failed (a failed worker should be restarted), `/health/ready` answers 200 only while it polls
 * (so a rollout waits for the new pod to really take tasks). Anything else is 404.
 */
export async function startWorkerHealthServer(
  worker: Pick<Worker, 'getState'>,
  port: number,
  host = '0.0.0.0',
): Promise<WorkerHealthServer> {
  const server = createServer((req, res) => {
    const state = worker.getState();
    const path = (req.url ?? '').split('?')[0];
    let ok: boolean;
    if (path === '/health/live') ok = state !== 'FAILED';
    else if (path === '/health/ready') ok = state === 'RUNNING';
    else {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', worker: state }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
