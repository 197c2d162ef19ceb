/**
 * Bytes -> domain `Message`. Total: every input yields a `DecodeResult`, nothing throws.
 *
 * Two stages, each checked (wireCheck.ts) and then decoded with the generated protobufjs code
 * through a StrictReader (runtime.ts):
 *   1. the ChaincodeMessage envelope; failure => `malformed.scope = 'envelope'` (nothing in it can
 *      be trusted, not even txid/channel: a connection-level problem);
 *   2. the payload its type calls for (docs/protocol.md §5); failure => `scope = 'payload'` with the
 *      type, code, txid and channel, so the receiver can fail just that transaction.
 *
 * Payload rules (which payload each type carries: payloadOfType.ts):
 *   - RESPONSE, ERROR, REGISTERED, KEEPALIVE, UNDEFINED and unknown types keep their raw bytes
 *     (see src/protocol/messages.ts for why);
 *   - READY: empty, or not a valid ChaincodeAdditionalParams, means "no features", not an error.
 *     That is the Go shim's rule (fabric-chaincode-go shim/handler.go `handleEstablished`: an empty
 *     payload returns early, an Unmarshal error is ignored); Node and Java ignore the payload;
 *   - a type number Fabric does not define (12, negative, or above 25) is `{ type: 'UNKNOWN', code }`.
 *
 * Hot path: one checked pass and one generated decode per level, bytes fields as views of the input
 * (no copies), no toObject(), and every known-type result built with the same object shape.
 */
import type {
  ChaincodeAdditionalParams,
  ChaincodeEvent,
  DecodeResult,
  Message,
  SignedProposal,
  Timestamp,
} from '../protocol/messages.js';
import { NO_ADDITIONAL_PARAMS } from '../protocol/messages.js';
import type { KnownMessageTypeName } from '../protocol/messageType.js';
import { MessageType } from '../protocol/messageType.js';
import { chaincodeAdditionalParamsCodec, chaincodeEventCodec, timestampCodec } from './chaincodeCodecs.js';
import { protos } from './generated/protos.js';
import { PAYLOAD_CODECS } from './payloadOfType.js';
import { signedProposalCodec } from './proposalCodecs.js';
import { bytesOf, errorMessage, StrictReader, type DecodeOutcome } from './runtime.js';
import { checkWire, layoutOf } from './wireCheck.js';

type PayloadDecoder = (bytes: Uint8Array) => DecodeOutcome<unknown>;

/** READY: see the module comment; an unparsable payload is "no features", never malformed. */
function decodeReadyParams(bytes: Uint8Array): DecodeOutcome<ChaincodeAdditionalParams> {
  if (bytes.length === 0) return { ok: true, value: NO_ADDITIONAL_PARAMS };
  const params = chaincodeAdditionalParamsCodec.decode(bytes);
  return params.ok ? params : { ok: true, value: NO_ADDITIONAL_PARAMS };
}

interface TypeEntry {
  readonly name: KnownMessageTypeName;
  readonly decode: PayloadDecoder | null;
}

/** Indexed by wire number; holes (12) and numbers past the end are UNKNOWN. */
const BY_CODE: readonly (TypeEntry | undefined)[] = (() => {
  const table: (TypeEntry | undefined)[] = [];
  for (const name of Object.keys(MessageType) as KnownMessageTypeName[]) {
    const decode = name === 'READY' ? decodeReadyParams : (PAYLOAD_CODECS[name]?.decode ?? null);
    table[MessageType[name]] = { name, decode };
  }
  return Array.from(table); // holes become explicit `undefined`
})();

const ENVELOPE = layoutOf('protos.ChaincodeMessage');

/** Decodes one ChaincodeMessage (a stream frame, or the nested reply to INVOKE_CHAINCODE). */
export function decodeMessage(bytes: Uint8Array): DecodeResult {
  let env: protos.ChaincodeMessage;
  let timestamp: Timestamp | undefined;
  let proposal: SignedProposal | undefined;
  let chaincodeEvent: ChaincodeEvent | undefined;
  try {
    checkWire(bytes, ENVELOPE);
    env = protos.ChaincodeMessage.decode(new StrictReader(bytes));
    if (env.timestamp) timestamp = timestampCodec.fromWire(env.timestamp);
    if (env.proposal) proposal = signedProposalCodec.fromWire(env.proposal);
    if (env.chaincodeEvent) chaincodeEvent = chaincodeEventCodec.fromWire(env.chaincodeEvent);
  } catch (err) {
    return {
      ok: false,
      malformed: { scope: 'envelope', txid: '', channelId: '', reason: `ChaincodeMessage: ${errorMessage(err)}` },
    };
  }

  const code: number = env.type;
  const txid = env.txid;
  const channelId = env.channelId;
  const raw = bytesOf(env.payload);
  const entry = BY_CODE[code];
  if (entry === undefined) {
    const message: Message = { type: 'UNKNOWN', code, txid, channelId, timestamp, proposal, chaincodeEvent, payload: raw };
    return { ok: true, message };
  }

  let payload: unknown = raw;
  if (entry.decode !== null) {
    const decoded = entry.decode(raw);
    if (!decoded.ok) {
      return {
        ok: false,
        malformed: { scope: 'payload', type: entry.name, code, txid, channelId, reason: decoded.reason },
      };
    }
    payload = decoded.value;
  }
  // PAYLOAD_CODECS pairs each type with the codec of its PayloadByType entry.
  const message = { type: entry.name, txid, channelId, timestamp, proposal, chaincodeEvent, payload } as Message;
  return { ok: true, message };
}
