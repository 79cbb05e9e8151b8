import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DubanEnv } from '@duban/config';
import { bundlerOptions } from '@duban/temporal/workflow-bundle';
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
): Promise<DubanWorker> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), {
    logger: env.NODE_ENV === 'test' ? ['error', 'warn'] : ['log', 'error', 'warn'],
  });
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    activities: createActivities(app.get(ProjectionService)),
    ...workflowSource(env),
    ...overrides,
  });
  let running: Promise<void> | undefined;
  return {
    app,
    worker,
    connection,
    run() {
      running ??= worker.run();
      return running;
    },
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running?.catch(() => undefined);
      await connection.close();
      await app.close();
    },
  };
}
