/** The protocol vocabulary: message types, domain messages, inputs, effects, violations, the table. */
export * from './messageType.js';
export * from './messages.js';
export type * from './inputs.js';
export type * from './effects.js';
export * from './violations.js';
export * from './wireError.js';
export * from './table.js';
export * from './txKey.js';
export * from './timers.js';
