export * from './wire.js';
export * from './server.js';
