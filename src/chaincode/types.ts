/**
 * The public types of the chaincode runtime, shaped after fabric-shim 2.5 (fabric-chaincode-node
 * apis/fabric-shim-api/types/index.d.ts and libraries/fabric-shim/types/index.d.ts) so that code
 * written against fabric-shim ports by changing the import. Where fabric-shim's declarations and its
 * run-time values disagree, these types describe what this runtime actually returns (see the
 * "Deviations from fabric-shim" section of docs/chaincode.md).
 */
import type Long from 'long';
import type { ChaincodeStub } from './stub.js';

/** What Init/Invoke return (fabric-shim-api `ChaincodeResponse`; protos.Response on the wire). */
export interface ChaincodeResponse {
  status: number;
  message?: string | undefined;
  /** Bytes, or a string sent as its UTF-8 bytes. */
  payload?: Uint8Array | string | undefined;
}

export interface SuccessResponse extends ChaincodeResponse {
  status: 200;
  payload: Buffer;
}

export interface ErrorResponse extends ChaincodeResponse {
  status: 500;
  message: string;
}

/** The chaincode: Init runs for INIT messages, Invoke for TRANSACTION messages. */
export interface ChaincodeInterface {
  Init(stub: ChaincodeStub): ChaincodeResponse | Promise<ChaincodeResponse>;
  Invoke(stub: ChaincodeStub): ChaincodeResponse | Promise<ChaincodeResponse>;
}

/** msp.SerializedIdentity as fabric-shim's getCreator() returns it. */
export interface SerializedIdentity {
  mspid: string;
  /** The PEM certificate for X.509 identities. */
  idBytes: Buffer;
}

/** google.protobuf.Timestamp as fabric-shim's getTxTimestamp() returns it (seconds as an unsigned Long). */
export interface Timestamp {
  seconds: Long;
  nanos: number;
}

/**
 * The timestamp of a history record. fabric-shim 2.5 builds it with google-protobuf's `toObject()`,
 * so `seconds` is a plain number at run time (its .d.ts says Long); we return the run-time shape.
 */
export interface HistoryTimestamp {
  seconds: number;
  nanos: number;
}

/** A state query result (queryresult.KV). */
export interface KV {
  namespace: string;
  key: string;
  value: Buffer;
}

/** A history query result (queryresult.KeyModification). */
export interface KeyModification {
  txId: string;
  value: Buffer;
  isDelete: boolean;
  timestamp: HistoryTimestamp;
}

/** What `next()` resolves to: a value, or the end. */
export type NextResult<T> = { value: T; done: false } | { value: undefined; done: true };

/** protos.QueryResponseMetadata, for paginated queries. */
export interface QueryResponseMetadata {
  fetchedRecordsCount: number;
  bookmark: string;
}

/** What the paginated queries resolve to. */
export interface StateQueryResponse<T> {
  iterator: T;
  metadata: QueryResponseMetadata;
}

/** fabric-shim-api spells it `SplitCompositekey`. */
export interface SplitCompositeKey {
  /** `null` when the input is not a composite key (fabric-shim behaviour). */
  objectType: string | null;
  attributes: string[];
}
export type SplitCompositekey = SplitCompositeKey;

/** The decoded SignedProposal as getSignedProposal() returns it (fabric-shim-api ChaincodeProposal). */
export namespace ChaincodeProposal {
  export interface SignedProposal {
    signature: Buffer;
    proposal: Proposal;
  }
  export interface Proposal {
    header: Header;
    payload: ChaincodeProposalPayload;
  }
  export interface Header {
    channelHeader: ChannelHeader;
    signatureHeader: SignatureHeader;
  }
  export interface ChannelHeader {
    type: number;
    version: number;
    timestamp: Timestamp | undefined;
    channelId: string;
    txId: string;
    epoch: number;
    extension: Buffer;
    tlsCertHash: Buffer;
  }
  export interface SignatureHeader {
    creator: SerializedIdentity;
    nonce: Buffer;
  }
  export interface ChaincodeProposalPayload {
    input: Buffer;
    transientMap: Map<string, Buffer>;
  }
}
