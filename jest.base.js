// Shared Jest settings: every package's jest.config.js spreads this.
// Tests run TypeScript sources directly (packages export src/), transpiled per file;
// type errors are caught by `npm run typecheck`, not by the test run.
const transpile = {
  module: 'commonjs',
  moduleResolution: 'node10',
  ignoreDeprecations: '6.0',
  isolatedModules: true,
};

// openid-client v6 and its dependencies, and content-disposition (under @fastify/static), ship as ES modules only. Node 20 can require() them, but Jest's module
// loader cannot before Node 24.9, so Jest transpiles exactly these packages to CommonJS.
const esmOnly = ['openid-client', 'oauth4webapi', 'jose', 'content-disposition'];

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: transpile }],
    '^.+\\.js$': ['ts-jest', { tsconfig: { ...transpile, allowJs: true } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
};
