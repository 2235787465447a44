export { callsTo, sandboxItems } from './sandbox';
