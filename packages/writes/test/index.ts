export { callsTo, sandboxItems } from './sandbox';
export { applyAndRead, applyDepsOf, submitWrite } from './writes';
