/**
 * Starts the asset-transfer chaincode:
 * - server mode ("chaincode as a service") when CHAINCODE_SERVER_ADDRESS is set: listens there for
 *   the peer, registering as CORE_CHAINCODE_ID / CHAINCODE_ID;
 * - client mode otherwise: dials the peer given by --peer.address (or CORE_PEER_ADDRESS) and
 *   registers as CORE_CHAINCODE_ID_NAME, with the CORE_PEER_TLS_* / CORE_TLS_CLIENT_* settings the
 *   peer passes to the chaincode process.
 */
import { newLogger, server, start } from '../../src/chaincode/index.js';
import { AssetTransfer } from './assetTransfer.js';

const logger = newLogger('asset-transfer');
const chaincode = new AssetTransfer();

try {
  if (process.env.CHAINCODE_SERVER_ADDRESS) {
    const srv = server(chaincode);
    await srv.start();
    logger.info('chaincode %s listening on %s', srv.ccid, srv.boundAddress);
  } else {
    const client = await start(chaincode);
    logger.info('chaincode %s registered with the peer at %s', client.chaincodeName, client.peerAddress);
    const reason = await client.closed;
    logger.warn('stream to the peer ended: %s', reason);
    process.exitCode = 1;
  }
} catch (err) {
  logger.error('%s', err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
