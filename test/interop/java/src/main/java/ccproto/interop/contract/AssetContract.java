package ccproto.interop.contract;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.contract.ClientIdentity;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Default;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.json.JSONObject;

/**
 * An asset contract on the Java contract API (the default contract: its transactions are invoked
 * as `Fn` or `Assets:Fn`). Errors are ChaincodeExceptions, which the contract router answers as
 * status 500 with the exception's message and its payload (here the error code).
 */
@Contract(name = "Assets", info = @Info(title = "ccproto interop assets", version = "1.0.0"))
@Default
public final class AssetContract implements ContractInterface {

    private static void requireAbsent(final ChaincodeStub stub, final String id) {
        if (!stub.getStringState(id).isEmpty()) {
            throw new ChaincodeException("the asset " + id + " already exists", "ASSET_ALREADY_EXISTS");
        }
    }

    private static Asset load(final ChaincodeStub stub, final String id) {
        final String json = stub.getStringState(id);
        if (json.isEmpty()) {
            throw new ChaincodeException("the asset " + id + " does not exist", "ASSET_NOT_FOUND");
        }
        return Asset.fromJson(json);
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public Asset CreateAsset(final Context ctx, final String assetID, final String color, final int size, final String owner,
            final int appraisedValue) {
        final ChaincodeStub stub = ctx.getStub();
        requireAbsent(stub, assetID);
        final Asset asset = new Asset(assetID, color, size, owner, appraisedValue);
        stub.putStringState(assetID, asset.toJson());
        stub.setEvent("AssetCreated", assetID.getBytes(UTF_8));
        return asset;
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public Asset ReadAsset(final Context ctx, final String assetID) {
        return load(ctx.getStub(), assetID);
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public Asset UpdateAsset(final Context ctx, final String assetID, final String color, final int size, final String owner,
            final int appraisedValue) {
        final ChaincodeStub stub = ctx.getStub();
        load(stub, assetID);
        final Asset asset = new Asset(assetID, color, size, owner, appraisedValue);
        stub.putStringState(assetID, asset.toJson());
        return asset;
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public void DeleteAsset(final Context ctx, final String assetID) {
        final ChaincodeStub stub = ctx.getStub();
        load(stub, assetID);
        stub.delState(assetID);
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public boolean AssetExists(final Context ctx, final String assetID) {
        return !ctx.getStub().getStringState(assetID).isEmpty();
    }

    /** Changes the owner; returns the previous owner. */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String TransferAsset(final Context ctx, final String assetID, final String newOwner) {
        final ChaincodeStub stub = ctx.getStub();
        final Asset a = load(stub, assetID);
        stub.putStringState(assetID, new Asset(a.getAssetID(), a.getColor(), a.getSize(), newOwner, a.getAppraisedValue()).toJson());
        return a.getOwner();
    }

    /** Every asset, as an array of objects (a range query over the whole namespace). */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public Asset[] GetAllAssets(final Context ctx) throws Exception {
        final List<Asset> out = new ArrayList<>();
        try (QueryResultsIterator<KeyValue> it = ctx.getStub().getStateByRange("", "")) {
            for (final KeyValue kv : it) out.add(Asset.fromJson(kv.getStringValue()));
        }
        return out.toArray(new Asset[0]);
    }

    /** The caller, from ctx.getClientIdentity(), as a JSON string. */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String WhoAmI(final Context ctx) {
        final ClientIdentity id = ctx.getClientIdentity();
        return new JSONObject()
                .put("mspid", id.getMSPID())
                .put("id", id.getId())
                .put("channel", ctx.getStub().getChannelId())
                .toString();
    }
}
