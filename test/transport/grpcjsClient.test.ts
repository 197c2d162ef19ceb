/**
 * The close and echo suites again, with grpc-js' Client as the dialling side (`client: 'grpc-js'`,
 * selected here through CCPROTO_GRPC_CLIENT): both clients must keep the same stream semantics.
 */
process.env.CCPROTO_GRPC_CLIENT = 'grpc-js';
await import('./close.test.js');
await import('./echo.test.js');
