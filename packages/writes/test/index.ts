export { callsTo, sandboxItems } from './sandbox';
export { applyAndRead, applyDepsOf, submitWrite } from './writes';
export { PROVIDER_CASES, sandboxField, type ProviderCase } from './providerCases';
