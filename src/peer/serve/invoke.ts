/**
 * INVOKE_CHAINCODE (core/chaincode/handler.go HandleInvokeChaincode): parse the target name,
 * let the runtime execute the callee, and answer with the callee's final ChaincodeMessage
 * marshalled as the RESPONSE payload (docs/protocol.md §10).
 */
import type { ChaincodeSpec } from '../../protocol/messages.js';
import { encodeMessage } from '../../wire/index.js';
import { fail, ok, PANIC_CAUSE, type ServeResult } from './outcome.js';
import type { TxServeContext } from './types.js';

export interface ChaincodeInstance {
  chaincodeName: string;
  /** Parsed but unused, as in Fabric ("We are not using version now"). */
  chaincodeVersion: string;
  /** Empty: the caller's channel. */
  channelId: string;
}

/**
 * handler.go ParseName: `name[:version][/channel]`. Everything after the first `/` is the
 * channel (it may contain further `/`); in the rest, everything after the first `:` is the
 * version; what remains is the chaincode name.
 */
export function parseChaincodeName(ccName: string): ChaincodeInstance {
  const slash = ccName.indexOf('/');
  const head = slash < 0 ? ccName : ccName.slice(0, slash);
  const channelId = slash < 0 ? '' : ccName.slice(slash + 1);
  const colon = head.indexOf(':');
  return {
    chaincodeName: colon < 0 ? head : head.slice(0, colon),
    chaincodeVersion: colon < 0 ? '' : head.slice(colon + 1),
    channelId,
  };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * HandleInvokeChaincode. The target's channel defaults to the caller's; a call on the caller's
 * channel shares its simulator (txParams.TXSimulator), another channel gets its own (the
 * runtime's job, told by `sameChannel`). The Invoker's error becomes `execute failed: <cause>`
 * (`errors.Wrap(err, "execute failed")`); a callee that answered ERROR is not a failure: its
 * ERROR message is the payload, exactly like a COMPLETED.
 */
export async function invokeChaincode(ctx: TxServeContext, spec: ChaincodeSpec): Promise<ServeResult> {
  // `chaincodeSpec.ChaincodeId.Name` dereferences a nil ChaincodeId: a recovered panic in Fabric.
  if (spec.chaincodeId === undefined) return fail(PANIC_CAUSE);
  const target = parseChaincodeName(spec.chaincodeId.name);
  const channel = target.channelId === '' ? ctx.channel : target.channelId;
  // chaincode_support.go CheckInvocation reads `input.IsInit` from a nil input: a panic too
  // (Fabric first resolves the chaincode, so an unknown target would report that instead).
  if (spec.input === undefined) return fail(PANIC_CAUSE);

  let outcome;
  try {
    outcome = await ctx.invokeChaincode({
      chaincode: target.chaincodeName,
      channel,
      sameChannel: channel === ctx.channel,
      args: spec.input.args,
      isInit: spec.input.isInit,
    });
  } catch (e) {
    outcome = { ok: false as const, cause: messageOf(e) };
  }
  if (!outcome.ok) return fail(outcome.unwrapped === true ? outcome.cause : `execute failed: ${outcome.cause}`);
  return ok(encodeMessage(outcome.message));
}
