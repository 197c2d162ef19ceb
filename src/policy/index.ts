/** Endorsement policies: the language, the values and their evaluation (pure). */
export * from './types.js';
export { parsePolicy, policyToString, type ParseResult } from './parse.js';
export { APPLICATION_POLICIES, evaluateEndorsementPolicy, evaluateSignaturePolicy, implicitThreshold, ORG_POLICY_ROLES, planOrganisations } from './evaluate.js';
