import { describe, expect, it } from 'vitest';
import { TxValidationCode as LedgerCodes } from '../../src/ledger/validationCodes.js';
import { TxValidationCode as WireCodes } from '../../src/wire/index.js';

describe('validation codes', () => {
  // The ledger may not import the wire layer (test/architecture), so it names the codes it writes
  // itself: they must be Fabric's, as the wire layer declares them (peer/transaction.proto).
  it("the ledger's codes are the wire layer's TxValidationCode values", () => {
    for (const [name, code] of Object.entries(LedgerCodes)) expect([name, code]).toEqual([name, (WireCodes as Record<string, number>)[name]]);
  });
});
