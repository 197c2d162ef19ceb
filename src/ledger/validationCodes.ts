/**
 * Fabric's transaction validation codes (fabric-protos peer/transaction.proto `TxValidationCode`,
 * the numbers Fabric writes into a block's TRANSACTIONS_FILTER metadata), as the ledger needs them.
 *
 * Our own small copy, so that the ledger does not depend on the wire layer; the numbers are the
 * protobuf enum's and must stay equal to it (protos/peer/transaction.proto).
 */
export const TxValidationCode = {
  VALID: 0,
  NIL_ENVELOPE: 1,
  BAD_PAYLOAD: 2,
  BAD_COMMON_HEADER: 3,
  BAD_CREATOR_SIGNATURE: 4,
  INVALID_ENDORSER_TRANSACTION: 5,
  INVALID_CONFIG_TRANSACTION: 6,
  UNSUPPORTED_TX_PAYLOAD: 7,
  BAD_PROPOSAL_TXID: 8,
  DUPLICATE_TXID: 9,
  ENDORSEMENT_POLICY_FAILURE: 10,
  MVCC_READ_CONFLICT: 11,
  PHANTOM_READ_CONFLICT: 12,
  UNKNOWN_TX_TYPE: 13,
  TARGET_CHAIN_NOT_FOUND: 14,
  MARSHAL_TX_ERROR: 15,
  NIL_TXACTION: 16,
  EXPIRED_CHAINCODE: 17,
  CHAINCODE_VERSION_CONFLICT: 18,
  BAD_HEADER_EXTENSION: 19,
  BAD_CHANNEL_HEADER: 20,
  BAD_RESPONSE_PAYLOAD: 21,
  BAD_RWSET: 22,
  ILLEGAL_WRITESET: 23,
  INVALID_WRITESET: 24,
  INVALID_CHAINCODE: 25,
  NOT_VALIDATED: 254,
  INVALID_OTHER_REASON: 255,
} as const;

export type TxValidationCodeName = keyof typeof TxValidationCode;

const names = new Map<number, TxValidationCodeName>(
  Object.entries(TxValidationCode).map(([name, code]) => [code, name as TxValidationCodeName]),
);

/** The enum name of a code (`'MVCC_READ_CONFLICT'`), or the number as text for unknown codes. */
export function txValidationCodeName(code: number): string {
  return names.get(code) ?? String(code);
}

/**
 * A validation code as the TRANSACTIONS_FILTER can hold it: one byte (internal/pkg/txflags
 * ValidationFlags is a []uint8). NOT_VALIDATED is refused: every transaction of a committed block
 * has a final code (txvalidator v20 validator.go allValidated).
 */
export function isFinalValidationCode(code: unknown): code is number {
  return Number.isInteger(code) && (code as number) >= 0 && (code as number) <= 255 && code !== TxValidationCode.NOT_VALIDATED;
}
