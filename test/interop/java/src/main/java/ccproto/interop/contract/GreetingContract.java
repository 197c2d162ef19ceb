package ccproto.interop.contract;

import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Transaction;

/** A second contract, reached only by its name: `Greeting:Hello`. */
@Contract(name = "Greeting")
public final class GreetingContract implements ContractInterface {
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String Hello(final Context ctx, final String name) {
        return "hello " + name;
    }
}
