/**
 * The two answers a served request can have (RESPONSE payload or ERROR cause) and how thrown
 * errors become causes. The core adds `<TYPE> failed: transaction ID: <txid>: ` in front of a
 * cause itself (core/chaincode/handler.go HandleTransaction), so only the cause lives here.
 */
import type { ServeResult } from '../../drive/peerConnection.js';
import { isLedgerError } from '../../ledger/index.js';
import type { Bytes } from '../../protocol/messages.js';

export type { ServeResult };

/**
 * handler.go HandleTransaction's recover() text (Fabric >= 2.5.16 / 3.1.5): what a request gets
 * when its handler panics. Here: anything thrown that is not a LedgerError.
 */
export const PANIC_CAUSE = 'panic during execution';

export const ok = (payload: Bytes): ServeResult => ({ ok: true, payload });
export const fail = (cause: string): ServeResult => ({ ok: false, cause });

/**
 * A thrown value as a cause: a LedgerError carries Fabric's text for the ledger or handler check
 * that failed (`errors.WithStack` in handler.go adds nothing to the message); anything else is a
 * bug in this process and is answered like a recovered Go panic.
 */
export function causeOf(e: unknown): string {
  return isLedgerError(e) ? e.message : PANIC_CAUSE;
}

/** handler.go getQueryMetadataFromBytes and every `proto.Unmarshal` in the handlers. */
export const unmarshalFailed = (reason: string): string => `unmarshal failed: ${reason}`;
