/**
 * Frame-level gRPC transports for the Fabric peer ⇄ chaincode streams (docs/protocol.md §2).
 * Frames are the marshalled `protos.ChaincodeMessage` bytes; the codec is a separate layer.
 */
export {
  CHAINCODE_SERVICE_NAME,
  CHAINCODE_SUPPORT_SERVICE_NAME,
  CONNECT_METHOD_PATH,
  ChaincodeService,
  ChaincodeSupportService,
  REGISTER_METHOD_PATH,
} from './serviceDefinitions.js';
export type { CloseListener, CloseReason, EofClose, ErrorClose, FrameListener, FrameOrigin, FrameStream, LocalClose } from './frameStream.js';
export { EOF_SETTLE_MS, Status } from './frameStream.js';
export {
  listenChaincodeServer,
  listenChaincodeSupport,
} from './listen.js';
export type {
  ChaincodeServerListenOptions,
  ChaincodeSupportListenOptions,
  FrameListenerHandle,
  ListenOptions,
  OnStream,
  ServerTlsOptions,
  StreamInfo,
} from './listen.js';
export { clientFromEnv, dialChaincodeServer, dialChaincodeSupport, TransportDialError } from './dial.js';
export type { ChaincodeServerDialOptions, ChaincodeSupportDialOptions, ClientTlsOptions, DialOptions } from './dial.js';
export { AddressError, formatHostPort, parseAddress } from './address.js';
export type { AddressScheme, ParsedAddress } from './address.js';
export {
  CHAINCODE_SERVER_KEEPALIVE,
  DEFAULT_CCAAS_DIAL_TIMEOUT_MS,
  DEFAULT_MAX_MESSAGE_LENGTH,
  DEFAULT_SEND_HIGH_WATER_BYTES,
  DEFAULT_SEND_MAX_QUEUED_BYTES,
  DEFAULT_SEND_STALL_TIMEOUT_MS,
  DEFAULT_SHIM_DIAL_TIMEOUT_MS,
  PEER_CLIENT_KEEPALIVE,
  PEER_LISTENER_KEEPALIVE,
  SHIM_CLIENT_KEEPALIVE,
} from './options.js';
export type { ClientKeepaliveOptions, FlowLimits, MessageLimits, Pem, ResolvedLimits, ServerKeepaliveOptions } from './options.js';
export {
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  HEALTH_SERVICE_NAME,
  HealthService,
  ServingStatus,
} from './health.js';
