export {
  receiveDelivery,
  type DeliveryOutcome,
  type HandledNotice,
  type NoticeDeps,
} from './receiveDelivery';
