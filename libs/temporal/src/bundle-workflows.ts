import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { bundlerOptions } from './workflow-bundle';

/** `node dist/libs/temporal/src/bundle-workflows.js OUT`: the prebuilt bundle production loads. */
async function main(out: string): Promise<void> {
  const { code } = await bundleWorkflowCode({
    ...bundlerOptions(),
    logger: new DefaultLogger('WARN'),
  });
  writeFileSync(out, code);
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: bundle-workflows OUT');
    process.exit(2);
  }
  main(out).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
