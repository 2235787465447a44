const base = require('../../jest.base.js');

// openid-client v6 and its dependencies (oauth4webapi, jose) ship as ES modules only. Node 20 can require() them,
// but Jest's module loader cannot before Node 24.9, so Jest transpiles exactly these three packages to CommonJS.
const esmOnly = ['openid-client', 'oauth4webapi', 'jose'];

module.exports = {
  ...base,
  transform: {
    ...base.transform,
    '^.+\\.js$': [
      'ts-jest',
      {
        tsconfig: {
          allowJs: true,
          module: 'commonjs',
          moduleResolution: 'node10',
          ignoreDeprecations: '6.0',
          isolatedModules: true,
        },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
};
