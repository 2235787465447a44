export { connectionOutcomes } from './connectionOutcomes';
export { deleteUserData } from './deleteUser';
export {
  disconnectConnection,
  type DisconnectDeps,
  type DisconnectInput,
  type DisconnectOutcome,
} from './disconnect';
export { endConnection, type EndConnectionDeps, type EndConnectionInput } from './endConnection';
export { purgeConnectionData } from './purge';
