package ccproto.interop;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.hyperledger.fabric.shim.ChaincodeBase;
import org.hyperledger.fabric.shim.ChaincodeStub;

/**
 * The benchmark chaincode of `npm run bench:chaincode` on the Java shim: the same logic as
 * bench/fixtures/getPutShim.cjs (fabric-shim) and examples/bench-getput (ccproto): one GetState and
 * one PutState per transaction, arguments `put KEY VALUE`.
 */
public final class GetPutChaincode extends ChaincodeBase {
    @Override
    public Response init(final ChaincodeStub stub) {
        return newSuccessResponse();
    }

    @Override
    public Response invoke(final ChaincodeStub stub) {
        final List<byte[]> args = stub.getArgs();
        final String key = new String(args.get(1), StandardCharsets.UTF_8);
        stub.getState(key);
        stub.putState(key, args.get(2));
        return newSuccessResponse();
    }

    public static void main(final String[] args) {
        new GetPutChaincode().start(args);
    }
}
