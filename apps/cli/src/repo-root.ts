import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The checkout's root, found from wherever the compiled or source file lives. */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'duban'
    ) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the Duban checkout above ${from}`);
    dir = parent;
  }
}

export const seedPlanPath = (): string =>
  join(repoRoot(), 'infra', 'seed', '2017-jianghai-livelihood-plan.txt');
