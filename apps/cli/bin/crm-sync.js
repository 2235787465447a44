#!/usr/bin/env node
// `npx crm-sync …`: the packages are TypeScript sources, loaded through tsx as every process here runs them.
require('tsx/cjs');
require('../src/main.ts');
