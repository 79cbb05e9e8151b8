import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { BundleOptions } from '@temporalio/worker';

/**
 * Where the workflow code lives and how to bundle it. Workflows import `@duban/contracts` and
 * `@duban/domain`; the Temporal bundler (webpack) knows nothing of tsconfig paths, so the aliases
 * are read from tsconfig.json (the single source jest, swc and tsc also use) and given to webpack.
 */

/** The repository root: the nearest ancestor holding tsconfig.json (works from src and dist). */
function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'tsconfig.json')) && existsSync(join(dir, 'workflows'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`No tsconfig.json with a workflows/ folder above ${start}`);
    }
    dir = parent;
  }
}

export const repoRoot = findRoot(__dirname);

/** The module whose exported functions are the workflows (`workflows/index.ts`). */
export const workflowsPath = join(repoRoot, 'workflows', 'index.ts');

interface TsConfigPaths {
  compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> };
}

/** `@duban/*` aliases as webpack exact-match aliases (`name$` → absolute file). */
export function dubanAliases(root = repoRoot): Record<string, string> {
  const raw = readFileSync(join(root, 'tsconfig.json'), 'utf8');
  // tsconfig allows comments; strip line and block comments that are not inside strings.
  const json = raw.replace(
    /("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g,
    (_m, str: string) => str ?? '',
  );
  const { compilerOptions = {} } = JSON.parse(json) as TsConfigPaths;
  const base = resolve(root, compilerOptions.baseUrl ?? '.');
  const aliases: Record<string, string> = {};
  for (const [name, targets] of Object.entries(compilerOptions.paths ?? {})) {
    if (!name.startsWith('@duban/') || name.includes('*') || !targets[0]) continue;
    aliases[`${name}$`] = resolve(base, targets[0]);
  }
  return aliases;
}

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

/** Options for `Worker.create` / `bundleWorkflowCode`: workflowsPath plus the alias hook. */
export function bundlerOptions(): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook'> {
  const aliases = dubanAliases();
  return {
    workflowsPath,
    webpackConfigHook: (config: WebpackConfig): WebpackConfig => {
      const resolveOptions = config.resolve ?? {};
      const existing = resolveOptions.alias;
      return {
        ...config,
        resolve: {
          ...resolveOptions,
          alias: Array.isArray(existing)
            ? [...existing, ...Object.entries(aliases).map(([name, alias]) => ({ name, alias }))]
            : { ...(existing ?? {}), ...aliases },
        },
      };
    },
  };
}
