export { connectSandboxAccount, type SandboxConnection } from './connect';
export { callsTo, engineDeps, testAccessTokens } from './engine';
