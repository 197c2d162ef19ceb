package ccproto.interop;

import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.shim.NettyChaincodeServer;

/**
 * The contract chaincode (ccproto.interop.contract): the Java contract API's ContractRouter, as a
 * Java contract chaincode's main class is. ContractRouter.main covers client mode and
 * chaincode-as-a-service (CHAINCODE_SERVER_ADDRESS) with TLS; only mutual TLS needs more, since the
 * Java shim has no variable for the client CA: with CHAINCODE_TLS_CLIENT_CA_FILE set (and TLS on),
 * the router is started on a NettyChaincodeServer whose properties require client certificates.
 */
public final class ContractMain {
    private ContractMain() {}

    public static void main(final String[] args) throws Exception {
        final String address = System.getenv("CHAINCODE_SERVER_ADDRESS");
        final String ca = System.getenv(CommandChaincode.CLIENT_CA_ENV);
        if (address == null || address.isEmpty() || ca == null || ca.isEmpty()) {
            ContractRouter.main(args);
            return;
        }
        final ContractRouter router = new ContractRouter(args);
        router.startRouterWithChaincodeServer(
                new NettyChaincodeServer(router, CommandChaincode.serverProperties(router.getChaincodeServerConfig())));
    }
}
