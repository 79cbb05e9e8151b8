// The full fault suite (`npm run test:faults`): one long file, its own stack, run in band.
const { compilerOptions } = require('../../tsconfig.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias}$`,
    `<rootDir>/${target}`,
  ]),
);

module.exports = {
  rootDir: '../..',
  displayName: 'faults',
  testMatch: ['<rootDir>/test/faults/**/*.fault.ts'],
  moduleNameMapper,
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testEnvironment: 'node',
  testTimeout: 1_200_000,
};
