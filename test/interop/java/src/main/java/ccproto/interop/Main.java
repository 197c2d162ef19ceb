package ccproto.interop;

import java.util.Arrays;

/**
 * The jar's entry point: `java -jar chaincode.jar [command|contract|getput] [shim options...]`. The first
 * argument picks the chaincode (default: the command chaincode, so that `java -jar chaincode.jar
 * --peer.address=HOST:PORT`, as the peer launches it, runs that one); the rest goes to the shim.
 */
public final class Main {
    private Main() {}

    public static void main(final String[] args) throws Exception {
        final String which = args.length > 0 ? args[0] : "";
        final String[] rest = args.length > 0 && !which.startsWith("-") ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (which.startsWith("-") ? "command" : which) {
            case "", "command" -> CommandChaincode.main(rest);
            case "contract" -> ContractMain.main(rest);
            case "getput" -> GetPutChaincode.main(rest);
            default -> {
                System.err.println("usage: java -jar chaincode.jar [command|contract|getput] [--peer.address=HOST:PORT]");
                System.exit(2);
            }
        }
    }
}
