/**
 * Fabric's transaction validation codes as the ledger uses them (src/protocol/validationCodes.ts):
 * their names for logs, and which codes a committed block may carry.
 */
import { TxValidationCode, type TxValidationCodeName } from '../protocol/validationCodes.js';

export { TxValidationCode, type TxValidationCodeName };

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
