export { acceptWrite, itemKeyOf, type AcceptOutcome, type WriteSubmission } from './accept';
export { applyWrites, type ApplyOptions, type ApplyResult } from './apply';
export type { ApplyDeps, WritesDeps } from './deps';
export { finishWrite, type Finish } from './finish';
export { handleWriteEvent, isWriteEvent, type WriteEvent } from './handleWriteEvent';
export { getWrite, WRITES_TABLE, type WriteView } from './rows';
