export { callsTo, sandboxItems } from './sandbox';
export { applyAndRead, applyDepsOf, submitWrite } from './writes';
export { PROVIDER_CASES, type ProviderCase } from './providerCases';
