// Command command is the Go shim's counterpart of test/chaincode/fixtures/allStub.ts: a chaincode
// that calls any stub method on command. args[0] is the command, the rest its parameters (strings;
// JSON for arrays); the result comes back as JSON in the response payload, bytes as UTF-8 text and
// `null` for absent values, written by internal/jsjson exactly as JSON.stringify writes them, so
// that results compare byte for byte with those of allStub.ts wherever the method exists in both.
//
// Runs as allStub.ts does: server mode (shim.ChaincodeServer, chaincode-as-a-service) when
// CHAINCODE_SERVER_ADDRESS is set, else client mode (shim.Start); see internal/serve for the
// variables.
//
//	CORE_CHAINCODE_ID_NAME=allstub:1.0 CORE_PEER_TLS_ENABLED=false ./bin/command --peer.address=127.0.0.1:7052
//
// # Commands and the Go ChaincodeStubInterface
//
// Parameters are the arguments as UTF-8 text (invalid bytes replaced, as Node's
// getFunctionAndParameters gives them), so invalid input reaches the stub as the Node fixture
// passes it.
//
//	command                                       Go stub method (fabric-chaincode-go/v2)       notes
//	--------------------------------------------  --------------------------------------------  ------------------------------------------------
//	getArgs                                       GetArgs                                       Node returns strings; here each []byte as text
//	getStringArgs                                 GetStringArgs                                 each re-decoded as text (Go keeps raw bytes)
//	getBufferArgs                                 GetArgs                                       Go has no GetBufferArgs; same result as Node's
//	getFunctionAndParameters                      GetFunctionAndParameters                      {fcn, params}
//	getArgsSlice                                  GetArgsSlice                                  text
//	getDecorations                                GetDecorations                                keys: integer-like first, then sorted (a Go map
//	                                                                                            has no order; Node keeps the wire order)
//	getTxID / getChannelID                        GetTxID / GetChannelID
//	getCreator                                    GetCreator (+ msp.SerializedIdentity)         {mspid, idBytes}; null without a creator
//	getMspID                                      shim.GetMSPID (package function)              CORE_PEER_LOCALMSPID; error text differs
//	getTransient                                  GetTransient                                  key order as getDecorations
//	getSignedProposal                             GetSignedProposal (decoded here)              {channelId, txId, mspid}
//	getTxTimestamp                                GetTxTimestamp                                {seconds: string, nanos}
//	getDateTimestamp                              GetTxTimestamp → ISO string                   Go has no GetDateTimestamp; JS Date arithmetic
//	getBinding                                    GetBinding                                    hex
//	getState / putState / deleteState             GetState / PutState / DelState                Go refuses an empty key ("key must not be an
//	                                                                                            empty string"); Node's runtime sends it
//	setStateValidationParameter                   SetStateValidationParameter + statebased      MEMBER role. statebased sorts the orgs in the
//	                                                                                            policy, Node's KeyEndorsementPolicy keeps the
//	                                                                                            order given: same bytes only for sorted input
//	getStateValidationParameter                   GetStateValidationParameter + statebased      orgs in the policy's order (as Node lists them;
//	                                                                                            statebased.ListOrgs is in map order); null if none
//	getMultipleStates                             GetMultipleStates                             GET_STATE_MULTIPLE when READY advertises it
//	getStateByRange[WithPagination]               GetStateByRange[WithPagination]               [{key, value}] / {records, metadata}
//	getStateByPartialCompositeKey[WithPagination] GetStateByPartialCompositeKey[WithPagination]
//	getAllStatesCompositeKeyWithPagination        GetAllStatesCompositeKeyWithPagination
//	getQueryResult[WithPagination]                GetQueryResult[WithPagination]
//	getHistoryForKey                              GetHistoryForKey                              [{txId, value, isDelete}]
//	invokeChaincode                               InvokeChaincode                               {status, message, payload}. An ERROR (from the
//	                                                                                            peer, or a callee's ERROR that the peer wraps in
//	                                                                                            RESPONSE as Fabric does) reaches a Go caller as
//	                                                                                            status 500 with the bytes as payload and an empty
//	                                                                                            message; Node's runtime throws instead
//	setEvent                                      SetEvent
//	createCompositeKey / splitCompositeKey        CreateCompositeKey / SplitCompositeKey        Go refuses U+0000 / U+10FFFF in parts, Node not
//	getPrivateData / getPrivateDataHash           GetPrivateData / GetPrivateDataHash           hash as hex
//	putPrivateData / putPrivateDataFromTransient  PutPrivateData (+ GetTransient)
//	deletePrivateData / purgePrivateData          DelPrivateData / PurgePrivateData
//	set/getPrivateDataValidationParameter         Set/GetPrivateDataValidationParameter         PEER role; order as for public keys
//	getMultiplePrivateData                        GetMultiplePrivateData
//	getPrivateDataByRange                         GetPrivateDataByRange
//	getPrivateDataByPartialCompositeKey           GetPrivateDataByPartialCompositeKey
//	getPrivateDataQueryResult                     GetPrivateDataQueryResult
//	batchPut                                      StartWriteBatch + PutState… [+ FinishWriteBatch]  the shim flushes an unfinished batch itself
//	                                                                                            after Invoke; WRITE_BATCH_STATE records go out in
//	                                                                                            Go map order (random), only the sizes are fixed
//	clientIdentity                                pkg/cid: GetID, GetMSPID, GetAttributeValue,  id: cid.GetID is base64 of x509::SUBJECT::ISSUER
//	                                              HasOUValue                                    with RFC 2253-style DNs (CN=…,OU=…); decoded here,
//	                                                                                            but the DN format stays Go's (Node: /C=…/CN=…)
//	throw                                         —                                             Go has no throw: shim.Error → COMPLETED status 500
//	                                                                                            with the text; Node sends ERROR, which the peer
//	                                                                                            reports as "transaction returned with failure: …"
//	noResponse                                    —                                             an empty Response (status 0); Node's runtime
//	                                                                                            answers COMPLETED 500 "… has not called success or error"
//	status                                        —                                             Response{status, message}, no payload. In Init
//	                                                                                            the Go shim sends a status >= 500 as ERROR (the
//	                                                                                            peer: "transaction returned with failure: …");
//	                                                                                            Node's runtime sends COMPLETED
//	batchOps (Go only)                            StartWriteBatch + PutState, DelState,         every record type of a WRITE_BATCH_STATE in one
//	                                              PutPrivateData, DelPrivateData,               batch; [["put",k,v],["del",k],["putPrivate",c,k,v],
//	                                              PurgePrivateData, Set*ValidationParameter     ["delPrivate",c,k],["purge",c,k],["vp",k,orgs],
//	                                                                                            ["vpPrivate",c,k,orgs]] then FinishWriteBatch
//
// Every method of ChaincodeStubInterface is called by at least one command. Errors are answered
// with shim.Error (status 500, the error's text).
package main

import "ccproto.test/interop/internal/serve"

func main() {
	serve.Main("command", &commandChaincode{})
}
