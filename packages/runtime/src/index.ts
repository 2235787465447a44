export {
  RuntimeStartError,
  startRuntime,
  type DatabaseRuntime,
  type Runtime,
  type RuntimeOptions,
} from './runtime';
