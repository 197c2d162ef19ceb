package ccproto.interop.contract;

import java.util.Objects;
import org.hyperledger.fabric.contract.annotation.DataType;
import org.hyperledger.fabric.contract.annotation.Property;
import org.json.JSONObject;

/** The asset of the contract: a @DataType the contract API serializes from its getters. */
@DataType
public final class Asset {
    @Property
    private final String assetID;

    @Property
    private final String color;

    @Property
    private final int size;

    @Property
    private final String owner;

    @Property
    private final int appraisedValue;

    public Asset(final String assetID, final String color, final int size, final String owner, final int appraisedValue) {
        this.assetID = assetID;
        this.color = color;
        this.size = size;
        this.owner = owner;
        this.appraisedValue = appraisedValue;
    }

    public String getAssetID() {
        return assetID;
    }

    public String getColor() {
        return color;
    }

    public int getSize() {
        return size;
    }

    public String getOwner() {
        return owner;
    }

    public int getAppraisedValue() {
        return appraisedValue;
    }

    /** The ledger form: one JSON object, keys in a fixed order. */
    public String toJson() {
        return new JSONObject()
                .put("assetID", assetID)
                .put("color", color)
                .put("size", size)
                .put("owner", owner)
                .put("appraisedValue", appraisedValue)
                .toString();
    }

    public static Asset fromJson(final String json) {
        final JSONObject o = new JSONObject(json);
        return new Asset(o.getString("assetID"), o.getString("color"), o.getInt("size"), o.getString("owner"), o.getInt("appraisedValue"));
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Asset a
                && assetID.equals(a.assetID)
                && color.equals(a.color)
                && size == a.size
                && owner.equals(a.owner)
                && appraisedValue == a.appraisedValue;
    }

    @Override
    public int hashCode() {
        return Objects.hash(assetID, color, size, owner, appraisedValue);
    }
}
