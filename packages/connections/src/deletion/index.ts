export { runDeletion } from './runDeletion';
export {
  deletionRequestOf,
  loadDeletionRequest,
  recordDeletionRequest,
  type DeletionSubject,
} from './requests';
export {
  receiptKeySet,
  RECEIPT_TYPE,
  signReceipt,
  type DeletionReceipt,
  type ReceiptKeySet,
  type ReceiptPublicKey,
} from './receipt';
export { publishDeletion, requestDeletion } from './requestDeletion';
export { removeQueuedJobs, type QueuedConnection } from './queuedJobs';
export {
  DELETION_STEPS,
  type DeletionDeps,
  type DeletionProgress,
  type DeletionRequestRow,
  type DeletionStatus,
  type DeletionStep,
  type ReceiptSigning,
  shredDataKeys,
  type ShredConnections,
} from './types';
