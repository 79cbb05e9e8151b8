import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundlerOptions, repoRoot } from '@duban/temporal/workflow-bundle';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundle } from '@temporalio/worker';
import { quietRuntime } from './support/harness';
import { historyFromJson } from './support/history-json';

/*
 * Replays every history exported from real runs (test/histories/*.json, written by the workflow
 * tests with EXPORT_HISTORIES=1) against the current workflow code. A change to the workflow that
 * alters what those histories recorded must be guarded with patched(); otherwise this fails.
 */

jest.setTimeout(60_000);

const historiesDir = join(repoRoot, 'test/histories');
const files = readdirSync(historiesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const histories = files.map((file) => ({
  workflowId: file.replace(/\.json$/, ''),
  history: historyFromJson(JSON.parse(readFileSync(join(historiesDir, file), 'utf8'))),
}));

quietRuntime();
const logger = new DefaultLogger('ERROR');

async function bundle(workflowsPath?: string): Promise<WorkflowBundle> {
  const options = bundlerOptions();
  const { code } = await bundleWorkflowCode({
    ...options,
    workflowsPath: workflowsPath ?? options.workflowsPath,
    logger,
  });
  return { code };
}

async function replayAll(workflowBundle: WorkflowBundle): Promise<Record<string, string>> {
  const outcome: Record<string, string> = {};
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
    outcome[result.workflowId] = result.error
      ? `${result.error.name}: ${result.error.message}`
      : 'deterministic';
  }
  return outcome;
}

describe('replaying exported histories', () => {
  it('has histories from the happy path, returns, the ladder and an extension', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'happy-path-three-units.json',
        'head-returns-and-unit-resubmits.json',
        'office-returns-to-one-unit.json',
        'overdue-with-one-unit-missing.json',
        'deadline-extension.json',
      ]),
    );
  });

  it('replays every history deterministically against the current workflow code', async () => {
    const outcome = await replayAll(await bundle());
    expect(outcome).toEqual(
      Object.fromEntries(histories.map((h) => [h.workflowId, 'deterministic'])),
    );
  });

  it('catches an unpatched change: an incompatible copy fails with DeterminismViolationError', async () => {
    const outcome = await replayAll(
      await bundle(join(__dirname, '..', 'fixtures', 'incompatible-workflow.ts')),
    );
    expect(Object.keys(outcome)).toEqual(histories.map((h) => h.workflowId));
    for (const verdict of Object.values(outcome)) {
      expect(verdict).toMatch(/^DeterminismViolationError: /);
    }
  });
});
