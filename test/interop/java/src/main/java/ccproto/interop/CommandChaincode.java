package ccproto.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import org.hyperledger.fabric.contract.ClientIdentity;
import org.hyperledger.fabric.metrics.Metrics;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.shim.ChaincodeBase;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeServerProperties;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.NettyChaincodeServer;
import org.hyperledger.fabric.shim.ResponseUtils;
import org.hyperledger.fabric.shim.ext.sbe.StateBasedEndorsement;
import org.hyperledger.fabric.shim.ext.sbe.StateBasedEndorsement.RoleType;
import org.hyperledger.fabric.shim.ext.sbe.impl.StateBasedEndorsementFactory;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;
import org.hyperledger.fabric.traces.Traces;

/**
 * The command chaincode on the official Java shim (fabric-chaincode-shim 2.5.10): the command
 * vocabulary of test/chaincode/fixtures/allStub.ts. args[0] is a command, the rest its parameters
 * (strings; JSON for arrays); the result is JSON in the response payload (bytes as UTF-8 text,
 * null for absent), written as JSON.stringify writes it (see Json) so results compare byte for byte.
 *
 * <pre>
 * command                                      Java ChaincodeStub / ClientIdentity method         supported
 * -------------------------------------------  -------------------------------------------------  ---------
 * getArgs                                      getArgs() (List&lt;byte[]&gt;, as UTF-8 text)          yes
 * getStringArgs                                getStringArgs()                                    yes
 * getBufferArgs                                getArgs() (Java's bytes form)                      yes
 * getFunctionAndParameters                     getFunction() + getParameters()                    yes
 * getArgsSlice                                 none; the concatenation of getArgs()               derived
 * getDecorations                               none: the Java shim does not expose
 *                                              ChaincodeInput.decorations                         NO
 * getTxID / getChannelID                       getTxId() / getChannelId()                         yes
 * getCreator                                   getCreator() (SerializedIdentity bytes, parsed)    yes
 * getMspID                                     getMspId() (CORE_PEER_LOCALMSPID)                  yes
 * getTransient                                 getTransient() (keys in sorted order *)            yes
 * getSignedProposal                            getSignedProposal() (parsed)                       yes
 * getTxTimestamp                               getTxTimestamp() (Instant: seconds, nanos)         yes
 * getDateTimestamp                             none; getTxTimestamp() truncated to milliseconds,
 *                                              in Date.toISOString()'s form                       derived
 * getBinding                                   getBinding() (bytes, as hex)                       yes
 * getState / putState / deleteState            getState / putState / delState                     yes
 * setStateValidationParameter                  StateBasedEndorsement MEMBER + set...              yes
 * getStateValidationParameter                  get... + StateBasedEndorsement.listOrgs() **       yes
 * getMultipleStates                            none (Fabric 3.1 GET_STATE_MULTIPLE)               NO
 * getStateByRange[WithPagination]              getStateByRange[WithPagination]                    yes
 * getStateByPartialCompositeKey[WithPagination] getStateByPartialCompositeKey(type, attrs...) /
 *                                              ...WithPagination(CompositeKey, ...)               yes
 * getAllStatesCompositeKeyWithPagination       none (fabric-shim only)                            NO
 * getQueryResult[WithPagination]               getQueryResult[WithPagination]                     yes
 * getHistoryForKey                             getHistoryForKey                                   yes
 * invokeChaincode                              invokeChaincode(name, List&lt;byte[]&gt;, channel)     yes
 * setEvent                                     setEvent                                           yes
 * createCompositeKey / splitCompositeKey       createCompositeKey / splitCompositeKey             yes ***
 * getPrivateData / getPrivateDataHash          getPrivateData / getPrivateDataHash (hex)          yes
 * putPrivateData / putPrivateDataFromTransient putPrivateData (+ getTransient())                  yes
 * deletePrivateData / purgePrivateData         delPrivateData / purgePrivateData                  yes
 * set/getPrivateDataValidationParameter        StateBasedEndorsement PEER + set... / get...       yes
 * getMultiplePrivateData                       none (Fabric 3.1 GET_STATE_MULTIPLE)               NO
 * getPrivateDataByRange                        getPrivateDataByRange                              yes
 * getPrivateDataByPartialCompositeKey          getPrivateDataByPartialCompositeKey(c, type, a...) yes
 * getPrivateDataQueryResult                    getPrivateDataQueryResult                          yes
 * batchPut                                     none: no StartWriteBatch / FinishWriteBatch
 *                                              (Fabric 3.1 WRITE_BATCH_STATE)                     NO
 * clientIdentity                               ClientIdentity getId, getMSPID, getAttributeValue;
 *                                              hasOUValue is not in Java: the OU is read from
 *                                              getX509Certificate()'s subject                     derived
 * throw / noResponse / status                  throws ChaincodeException / returns null /
 *                                              returns new Response(status, message, null)        yes ****
 *
 * Java-only commands (not in allStub.ts), so every ChaincodeStub method is reached:
 * getFunction, getParameters, getStringState, putStringState, getPrivateDataUTF8,
 * putPrivateDataString (putPrivateData(String, String, String)), invokeChaincodeWithStringArgs
 * (the (name, List) overload without a channel, else (name, List, channel)),
 * invokeChaincodeVarargs (invokeChaincodeWithStringArgs(name, String...)),
 * invokeChaincodeNoChannel (invokeChaincode(name, List&lt;byte[]&gt;)), getEvent (setEvent, then
 * getEvent()), getStateByPartialCompositeKeyString (the (String compositeKey) overload),
 * getPrivateDataByPartialCompositeKeyString (the (collection, String compositeKey) overload),
 * javaClientIdentity (ClientIdentity.assertAttributeValue, getX509Certificate).
 * The CompositeKey overloads of getStateByPartialCompositeKey / getPrivateDataByPartialCompositeKey
 * are reached through the commands above (every other overload calls them).
 *
 * An unsupported command answers status 500 with "COMMAND is not supported by the Java shim: ...".
 *  *  getTransient() is a HashMap (Collectors.toMap): its entries are written in key order, the
 *     order fabric-shim (google-protobuf sorts map keys), our runtime and Go's json.Marshal give.
 *  ** listOrgs() is a HashMap's key set; sorted here (the policy bytes are sorted anyway).
 *  *** the Java shim accepts an empty attribute and splitCompositeKey drops it (String.split drops
 *     trailing empty strings); fabric-shim and our runtime refuse it.
 *  **** shim behaviour, not this chaincode's: a thrown exception goes to the peer as ERROR with the
 *     whole stack trace as its text; a null response, or a status other than 200/400/500, fails in
 *     ChaincodeInvocationTask.call with a NullPointerException (Response.getStatus() is null).
 * </pre>
 *
 * <p>Run: client mode (the chaincode dials the peer) with CORE_CHAINCODE_ID_NAME and
 * --peer.address / CORE_PEER_ADDRESS; with CORE_PEER_TLS_ENABLED=true it reads
 * CORE_PEER_TLS_ROOTCERT_FILE (PEM) and CORE_TLS_CLIENT_KEY_PATH / CORE_TLS_CLIENT_CERT_PATH
 * (base64 of the PEM), as ChaincodeBase does. Server mode (chaincode-as-a-service) when
 * CHAINCODE_SERVER_ADDRESS=HOST:PORT is set: NettyChaincodeServer with the properties
 * ChaincodeBase.getChaincodeServerConfig() derives from the environment; with
 * CORE_PEER_TLS_ENABLED=true its server key and certificate are CORE_TLS_CLIENT_KEY_FILE /
 * CORE_TLS_CLIENT_CERT_FILE (PEM). The Java shim has no variable for the CA of client
 * certificates (mutual TLS): CHAINCODE_TLS_CLIENT_CA_FILE (PEM; this project's name, also read by
 * test/peer/fixtures/shimServer.cjs) sets ChaincodeServerProperties.setTrustCertCollectionFile,
 * which makes the server require client certificates. Note that in server mode with TLS the Java
 * shim still builds a client TLS context towards the (unused) peer address for every connection
 * (ChaincodeBase.connectToPeer(StreamObserver) calls newChannelBuilder()), so it also needs
 * CORE_TLS_CLIENT_KEY_PATH, CORE_TLS_CLIENT_CERT_PATH and CORE_PEER_TLS_ROOTCERT_FILE to name
 * readable files (validateOptions() refuses to start without them).
 */
public class CommandChaincode extends ChaincodeBase {

    /** The environment variable naming the client CA file for mutual TLS in server mode. */
    static final String CLIENT_CA_ENV = "CHAINCODE_TLS_CLIENT_CA_FILE";

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** A result that becomes the response itself (the "status" command). */
    private record StatusResult(int status, String message) {}

    /** An unsupported command: answered as an error response, not an exception. */
    private static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(final String command, final String why) {
            super(command + " is not supported by the Java shim: " + why);
        }
    }

    public static void main(final String[] args) throws Exception {
        final CommandChaincode cc = new CommandChaincode();
        final String address = System.getenv("CHAINCODE_SERVER_ADDRESS");
        if (address != null && !address.isEmpty()) {
            cc.serve(args);
        } else {
            cc.start(args);
        }
    }

    /** Chaincode-as-a-service: what ChaincodeBase.start() prepares, then a NettyChaincodeServer. */
    void serve(final String[] args) throws Exception {
        initializeLogging();
        processEnvironmentOptions();
        processCommandLineOptions(args);
        validateOptions();
        final Properties props = getChaincodeConfig();
        Metrics.initialize(props);
        Traces.initialize(props);
        new NettyChaincodeServer(this, serverProperties(getChaincodeServerConfig())).start();
    }

    /** Adds the client CA (mutual TLS) the Java shim's environment cannot express. */
    static ChaincodeServerProperties serverProperties(final ChaincodeServerProperties p) {
        final String ca = System.getenv(CLIENT_CA_ENV);
        if (p.isTlsEnabled() && ca != null && !ca.isEmpty()) {
            p.setTrustCertCollectionFile(ca);
        }
        return p;
    }

    @Override
    public Response init(final ChaincodeStub stub) {
        final String fcn = stub.getFunction();
        if (fcn == null || fcn.isEmpty()) {
            return ResponseUtils.newSuccessResponse("init".getBytes(UTF_8));
        }
        return invoke(stub);
    }

    @Override
    public Response invoke(final ChaincodeStub stub) {
        final String fcn = stub.getFunction() == null ? "" : stub.getFunction();
        final Object result;
        try {
            result = run(stub, fcn, stub.getParameters());
        } catch (final Unsupported e) {
            return new Response(500, e.getMessage(), null);
        }
        if ("noResponse".equals(fcn)) {
            return null;
        }
        if (result instanceof StatusResult s) {
            return new Response(s.status(), s.message(), null);
        }
        return ResponseUtils.newSuccessResponse(Json.bytes(result));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static String text(final byte[] b) {
        return b == null ? null : new String(b, UTF_8);
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(UTF_8);
    }

    private static String hex(final byte[] b) {
        if (b == null) return "";
        final StringBuilder sb = new StringBuilder(b.length * 2);
        for (final byte x : b) sb.append(String.format("%02x", x & 0xff));
        return sb.toString();
    }

    /** JavaScript's Number(s) for the page sizes: '' is 0; anything unparsable 0 (NaN -> int32 0). */
    private static int number(final String s) {
        final String t = s.trim();
        if (t.isEmpty()) return 0;
        try {
            return (int) Double.parseDouble(t);
        } catch (final NumberFormatException e) {
            return 0;
        }
    }

    private static Map<String, Object> obj(final Object... kv) {
        final Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static List<Object> drain(final QueryResultsIterator<KeyValue> it) throws Exception {
        final List<Object> out = new ArrayList<>();
        try (it) {
            for (final KeyValue kv : it) out.add(obj("key", kv.getKey(), "value", text(kv.getValue())));
        }
        return out;
    }

    private static Object page(final QueryResultsIteratorWithMetadata<KeyValue> it) throws Exception {
        final List<Object> records = new ArrayList<>();
        final QueryResponseMetadata md;
        try (it) {
            for (final KeyValue kv : it) records.add(obj("key", kv.getKey(), "value", text(kv.getValue())));
            md = it.getMetadata();
        }
        final Object metadata = md == null
                ? obj("fetchedRecordsCount", 0, "bookmark", "")
                : obj("fetchedRecordsCount", md.getFetchedRecordsCount(), "bookmark", md.getBookmark());
        return obj("records", records, "metadata", metadata);
    }

    private static List<Object> drainHistory(final QueryResultsIterator<KeyModification> it) throws Exception {
        final List<Object> out = new ArrayList<>();
        try (it) {
            for (final KeyModification m : it) {
                out.add(obj("txId", m.getTxId(), "value", text(m.getValue()), "isDelete", m.isDeleted()));
            }
        }
        return out;
    }

    private static byte[] policy(final RoleType role, final List<String> orgs) {
        final StateBasedEndorsement ep = StateBasedEndorsementFactory.getInstance().newStateBasedEndorsement(null);
        ep.addOrgs(role, orgs.toArray(new String[0]));
        return ep.policy();
    }

    private static Object orgs(final byte[] ep) {
        if (ep == null) return null;
        final List<String> orgs = new ArrayList<>(
                StateBasedEndorsementFactory.getInstance().newStateBasedEndorsement(ep).listOrgs());
        Collections.sort(orgs);
        return orgs;
    }

    private static Object response(final Response r) {
        return obj("status", r.getStatusCode(), "message", r.getMessage(), "payload", text(r.getPayload()));
    }

    private static List<byte[]> bytesList(final List<String> l) {
        final List<byte[]> out = new ArrayList<>();
        for (final String s : l) out.add(utf8(s));
        return out;
    }

    private static boolean hasOU(final X509Certificate cert, final String ou) {
        try {
            final LdapName dn = new LdapName(cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
            for (final Rdn rdn : dn.getRdns()) {
                if ("OU".equalsIgnoreCase(rdn.getType()) && ou.equals(String.valueOf(rdn.getValue()))) return true;
            }
            return false;
        } catch (final InvalidNameException e) {
            throw new ChaincodeException("cannot parse the certificate subject: " + e.getMessage());
        }
    }

    private static ClientIdentity clientIdentity(final ChaincodeStub stub) {
        try {
            return new ClientIdentity(stub);
        } catch (final Exception e) {
            throw new ChaincodeException("ClientIdentity: " + e);
        }
    }

    // ---- the vocabulary -------------------------------------------------------------------------

    @SuppressWarnings("checkstyle:CyclomaticComplexity")
    Object run(final ChaincodeStub stub, final String fcn, final List<String> p) {
        final String a = p.size() > 0 ? p.get(0) : "";
        final String b = p.size() > 1 ? p.get(1) : "";
        final String c = p.size() > 2 ? p.get(2) : "";
        final String d = p.size() > 3 ? p.get(3) : "";
        try {
            switch (fcn) {
                case "getArgs":
                case "getBufferArgs": {
                    final List<Object> out = new ArrayList<>();
                    for (final byte[] x : stub.getArgs()) out.add(text(x));
                    return out;
                }
                case "getStringArgs":
                    return new ArrayList<Object>(stub.getStringArgs());
                case "getFunctionAndParameters":
                    return obj("fcn", stub.getFunction(), "params", new ArrayList<Object>(stub.getParameters()));
                case "getArgsSlice": {
                    final ByteArrayOutputStream all = new ByteArrayOutputStream();
                    for (final byte[] x : stub.getArgs()) all.write(x);
                    return text(all.toByteArray());
                }
                case "getDecorations":
                    throw new Unsupported(fcn, "ChaincodeStub has no getDecorations (ChaincodeInput.decorations is not exposed)");
                case "getTxID":
                    return stub.getTxId();
                case "getChannelID":
                    return stub.getChannelId();
                case "getCreator": {
                    final byte[] creator = stub.getCreator();
                    if (creator == null) return null;
                    final SerializedIdentity si = SerializedIdentity.parseFrom(creator);
                    return obj("mspid", si.getMspid(), "idBytes", si.getIdBytes().toStringUtf8());
                }
                case "getMspID":
                    return stub.getMspId();
                case "getTransient": {
                    // a HashMap: its entries are written in key order (see the table above)
                    final Map<String, Object> out = new LinkedHashMap<>();
                    new TreeMap<>(stub.getTransient()).forEach((k, v) -> out.put(k, text(v)));
                    return out;
                }
                case "getSignedProposal": {
                    final SignedProposal sp = stub.getSignedProposal();
                    if (sp == null || sp.getProposalBytes().isEmpty()) return null;
                    final Header h = Header.parseFrom(Proposal.parseFrom(sp.getProposalBytes()).getHeader());
                    final ChannelHeader ch = ChannelHeader.parseFrom(h.getChannelHeader());
                    final SignatureHeader sh = SignatureHeader.parseFrom(h.getSignatureHeader());
                    final SerializedIdentity si = SerializedIdentity.parseFrom(sh.getCreator());
                    return obj("channelId", ch.getChannelId(), "txId", ch.getTxId(), "mspid", si.getMspid());
                }
                case "getTxTimestamp": {
                    final Instant ts = stub.getTxTimestamp();
                    if (ts == null) throw new ChaincodeException("the transaction has no timestamp");
                    return obj("seconds", Long.toString(ts.getEpochSecond()), "nanos", ts.getNano());
                }
                case "getDateTimestamp": {
                    final Instant ts = stub.getTxTimestamp();
                    if (ts == null) throw new ChaincodeException("the transaction has no timestamp");
                    return ISO_MILLIS.format(Instant.ofEpochMilli(ts.toEpochMilli()));
                }
                case "getBinding":
                    return hex(stub.getBinding());
                case "getState":
                    return text(stub.getState(a));
                case "putState":
                    stub.putState(a, utf8(b));
                    return null;
                case "deleteState":
                    stub.delState(a);
                    return null;
                case "setStateValidationParameter":
                    stub.setStateValidationParameter(a, policy(RoleType.RoleTypeMember, Json.list(b)));
                    return null;
                case "getStateValidationParameter":
                    return orgs(stub.getStateValidationParameter(a));
                case "getMultipleStates":
                    throw new Unsupported(fcn, "ChaincodeStub has no getMultipleStates (GET_STATE_MULTIPLE)");
                case "getStateByRange":
                    return drain(stub.getStateByRange(a, b));
                case "getStateByRangeWithPagination":
                    return page(stub.getStateByRangeWithPagination(a, b, number(c), d));
                case "getStateByPartialCompositeKey":
                    return drain(stub.getStateByPartialCompositeKey(a, Json.list(b).toArray(new String[0])));
                case "getStateByPartialCompositeKeyWithPagination":
                    return page(stub.getStateByPartialCompositeKeyWithPagination(new CompositeKey(a, Json.list(b)), number(c), d));
                case "getAllStatesCompositeKeyWithPagination":
                    throw new Unsupported(fcn, "ChaincodeStub has no getAllStatesCompositeKeyWithPagination (a fabric-shim method)");
                case "getQueryResult":
                    return drain(stub.getQueryResult(a));
                case "getQueryResultWithPagination":
                    return page(stub.getQueryResultWithPagination(a, number(b), c));
                case "getHistoryForKey":
                    return drainHistory(stub.getHistoryForKey(a));
                case "invokeChaincode":
                    return response(stub.invokeChaincode(a, bytesList(Json.list(b)), c));
                case "setEvent":
                    stub.setEvent(a, utf8(b));
                    return null;
                case "createCompositeKey":
                    return stub.createCompositeKey(a, Json.list(b).toArray(new String[0])).toString();
                case "splitCompositeKey": {
                    final String key = stub.createCompositeKey(a, Json.list(b).toArray(new String[0])).toString();
                    final CompositeKey k = stub.splitCompositeKey(key);
                    return obj("objectType", k.getObjectType(), "attributes", new ArrayList<Object>(k.getAttributes()));
                }
                case "getPrivateData":
                    return text(stub.getPrivateData(a, b));
                case "getPrivateDataHash":
                    return hex(stub.getPrivateDataHash(a, b));
                case "putPrivateData":
                    stub.putPrivateData(a, b, utf8(c));
                    return null;
                case "putPrivateDataFromTransient": {
                    final byte[] v = stub.getTransient().get(c);
                    if (v == null) throw new ChaincodeException("transient field " + c + " is missing");
                    stub.putPrivateData(a, b, v);
                    return null;
                }
                case "deletePrivateData":
                    stub.delPrivateData(a, b);
                    return null;
                case "purgePrivateData":
                    stub.purgePrivateData(a, b);
                    return null;
                case "setPrivateDataValidationParameter":
                    stub.setPrivateDataValidationParameter(a, b, policy(RoleType.RoleTypePeer, Json.list(c)));
                    return null;
                case "getPrivateDataValidationParameter":
                    return orgs(stub.getPrivateDataValidationParameter(a, b));
                case "getMultiplePrivateData":
                    throw new Unsupported(fcn, "ChaincodeStub has no getMultiplePrivateData (GET_STATE_MULTIPLE)");
                case "getPrivateDataByRange":
                    return drain(stub.getPrivateDataByRange(a, b, c));
                case "getPrivateDataByPartialCompositeKey":
                    return drain(stub.getPrivateDataByPartialCompositeKey(a, b, Json.list(c).toArray(new String[0])));
                case "getPrivateDataQueryResult":
                    return drain(stub.getPrivateDataQueryResult(a, b));
                case "batchPut":
                    throw new Unsupported(fcn, "ChaincodeStub has no write batches (StartWriteBatch / FinishWriteBatch, WRITE_BATCH_STATE)");
                case "clientIdentity": {
                    final ClientIdentity cid = clientIdentity(stub);
                    return obj("id", cid.getId(), "mspid", cid.getMSPID(), "attr", cid.getAttributeValue(a),
                            "ou", hasOU(cid.getX509Certificate(), b));
                }
                case "throw":
                    throw new ChaincodeException(a.isEmpty() ? "thrown on command" : a);
                case "noResponse":
                    return null;
                case "status":
                    return new StatusResult(number(a), b);

                // ---- Java-only commands: the rest of ChaincodeStub ------------------------------
                case "getFunction":
                    return stub.getFunction();
                case "getParameters":
                    return new ArrayList<Object>(stub.getParameters());
                case "getStringState":
                    return stub.getStringState(a);
                case "putStringState":
                    stub.putStringState(a, b);
                    return null;
                case "getPrivateDataUTF8":
                    return stub.getPrivateDataUTF8(a, b);
                case "putPrivateDataString":
                    stub.putPrivateData(a, b, c);
                    return null;
                case "invokeChaincodeWithStringArgs":
                    return response(c.isEmpty()
                            ? stub.invokeChaincodeWithStringArgs(a, Json.list(b))
                            : stub.invokeChaincodeWithStringArgs(a, Json.list(b), c));
                case "invokeChaincodeVarargs":
                    return response(stub.invokeChaincodeWithStringArgs(a, Json.list(b).toArray(new String[0])));
                case "invokeChaincodeNoChannel":
                    return response(stub.invokeChaincode(a, bytesList(Json.list(b))));
                case "getEvent": {
                    stub.setEvent(a, utf8(b));
                    final ChaincodeEvent ev = stub.getEvent();
                    return obj("eventName", ev.getEventName(), "payload", ev.getPayload().toStringUtf8());
                }
                case "getStateByPartialCompositeKeyString":
                    return drain(stub.getStateByPartialCompositeKey(a));
                case "getPrivateDataByPartialCompositeKeyString":
                    return drain(stub.getPrivateDataByPartialCompositeKey(a, b));
                case "javaClientIdentity": {
                    final ClientIdentity cid = clientIdentity(stub);
                    return obj("assert", cid.assertAttributeValue(a, b),
                            "subject", cid.getX509Certificate().getSubjectX500Principal().getName(X500Principal.RFC2253));
                }
                default:
                    throw new ChaincodeException("unknown command " + fcn);
            }
        } catch (final RuntimeException e) {
            throw e;
        } catch (final Exception e) {
            // checked exceptions of the iterators' close() and the protobuf parsers
            throw new ChaincodeException(e.toString(), e);
        }
    }
}
