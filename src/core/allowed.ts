/**
 * The allowed-message table, read from the charts (machines/, the one source of truth): what each
 * handler state does with each message type. A state accepts a type when it has its own
 * `recv.<TYPE>` transition; a type that falls into the state's `recv.*` catch-all is a violation.
 * How it is accepted is read from the actions of those transitions, in order: the first action
 * that says how (route, start a transaction, ignore, echo) decides; the guarded branches before it
 * handle the exceptions (a duplicate or finished transaction). docs/protocol-table.md prints
 * it; test/oracle checks the cores against Fabric independently of it.
 */
import type { MessageTypeName } from '../protocol/messageType.js';
import type { Disposition } from '../protocol/table.js';
import type { Side } from '../protocol/violations.js';
import type { CompiledChart } from './chartCompiler.js';
import { chaincodeHandlerChart, peerHandlerChart } from './compiledCharts.js';

/** The actions that say how an accepted message is handled; any other accepted one advances the handshake. */
const BY_ACTION: Record<string, Disposition> = {
  routeToTransaction: 'route',
  startTransaction: 'startTx',
  ignoreKeepalive: 'ignore',
  echoKeepalive: 'echo',
};

function chartOf(side: Side): CompiledChart<unknown, never> {
  return (side === 'peer' ? peerHandlerChart : chaincodeHandlerChart) as CompiledChart<unknown, never>;
}

/** What a handler in `state` does with a message of `type`; `undefined` means it is a violation. */
export function dispositionOf(side: Side, state: string, type: MessageTypeName): Disposition | undefined {
  const event = `recv.${type}`;
  const own = chartOf(side).candidates(state, event).filter((t) => t.event === event);
  if (own.length === 0) return undefined;
  for (const t of own) for (const action of t.actions) if (BY_ACTION[action] !== undefined) return BY_ACTION[action];
  return 'handshake';
}
