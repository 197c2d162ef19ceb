package main

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/cid"
	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/statebased"
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	js "ccproto.test/interop/internal/jsjson"
)

type commandChaincode struct{}

// Init answers "init" for an empty function name, else runs the command (as allStub.ts).
func (c *commandChaincode) Init(stub shim.ChaincodeStubInterface) *peer.Response {
	if fcn, _ := stub.GetFunctionAndParameters(); fcn == "" {
		return shim.Success([]byte("init"))
	}
	return c.Invoke(stub)
}

// statusResult is what the `status` command answers: a response without payload.
type statusResult struct {
	status  int32
	message string
}

// noResponse marks the `noResponse` command.
type noResponse struct{}

func (c *commandChaincode) Invoke(stub shim.ChaincodeStubInterface) *peer.Response {
	args := stub.GetArgs()
	fcn := ""
	params := []string{}
	if len(args) > 0 {
		fcn = js.Text(args[0])
		for _, a := range args[1:] {
			params = append(params, js.Text(a))
		}
	}
	result, err := runCommand(stub, fcn, params)
	if err != nil {
		return shim.Error(err.Error())
	}
	switch r := result.(type) {
	case noResponse:
		// A Go chaincode cannot "not answer": the closest is an empty Response (status 0).
		return &peer.Response{}
	case statusResult:
		return &peer.Response{Status: r.status, Message: r.message}
	}
	return shim.Success([]byte(js.Marshal(result)))
}

// list parses a JSON array of strings; "" is the empty list.
func list(s string) ([]string, error) {
	if s == "" {
		return []string{}, nil
	}
	var out []string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, fmt.Errorf("not a JSON array of strings: %s", s)
	}
	if out == nil {
		out = []string{}
	}
	return out, nil
}

// num parses a page size ("" is 0, as JavaScript's Number of an empty string).
func num(s string) (int32, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("not a number: %s", s)
	}
	return int32(n), nil
}

func drain(it shim.StateQueryIteratorInterface) ([]js.Obj, error) {
	out := []js.Obj{}
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			_ = it.Close()
			return nil, err
		}
		out = append(out, js.Obj{{K: "key", V: kv.GetKey()}, {K: "value", V: kv.GetValue()}})
	}
	return out, it.Close()
}

func drainHistory(it shim.HistoryQueryIteratorInterface) ([]js.Obj, error) {
	out := []js.Obj{}
	for it.HasNext() {
		m, err := it.Next()
		if err != nil {
			_ = it.Close()
			return nil, err
		}
		out = append(out, js.Obj{{K: "txId", V: m.GetTxId()}, {K: "value", V: m.GetValue()}, {K: "isDelete", V: m.GetIsDelete()}})
	}
	return out, it.Close()
}

func page(it shim.StateQueryIteratorInterface, md *peer.QueryResponseMetadata, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	records, err := drain(it)
	if err != nil {
		return nil, err
	}
	return js.Obj{
		{K: "records", V: records},
		{K: "metadata", V: js.Obj{{K: "fetchedRecordsCount", V: md.GetFetchedRecordsCount()}, {K: "bookmark", V: md.GetBookmark()}}},
	}, nil
}

func drained(it shim.StateQueryIteratorInterface, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return drain(it)
}

// policy builds a key-level endorsement policy requiring `role` of each org (pkg/statebased).
func policy(role statebased.RoleType, orgsJSON string) ([]byte, error) {
	orgs, err := list(orgsJSON)
	if err != nil {
		return nil, err
	}
	ep, err := statebased.NewStateEP(nil)
	if err != nil {
		return nil, err
	}
	if err := ep.AddOrgs(role, orgs...); err != nil {
		return nil, err
	}
	return ep.Policy()
}

// listOrgs lists the orgs of a validation parameter as Node's KeyEndorsementPolicy.listOrgs does:
// the set from statebased, in the order of the policy's identities (JavaScript object key order:
// integer-like MSP ids first). null when the key has no validation parameter.
func listOrgs(ep []byte, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	if ep == nil {
		return nil, nil
	}
	sep, err := statebased.NewStateEP(ep)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, o := range sep.ListOrgs() {
		set[o] = true
	}
	env := &common.SignaturePolicyEnvelope{}
	if err := proto.Unmarshal(ep, env); err != nil {
		return nil, err
	}
	order := []string{}
	for _, id := range env.GetIdentities() {
		role := &msp.MSPRole{}
		if id.GetPrincipalClassification() != msp.MSPPrincipal_ROLE || proto.Unmarshal(id.GetPrincipal(), role) != nil {
			continue
		}
		if set[role.GetMspIdentifier()] {
			order = append(order, role.GetMspIdentifier())
		}
	}
	return js.PropertyOrder(order), nil
}

func creatorOf(b []byte) (*msp.SerializedIdentity, error) {
	if len(b) == 0 {
		return nil, nil
	}
	sid := &msp.SerializedIdentity{}
	if err := proto.Unmarshal(b, sid); err != nil {
		return nil, fmt.Errorf("creator: %w", err)
	}
	return sid, nil
}

func signedProposal(sp *peer.SignedProposal) (any, error) {
	if sp == nil {
		return nil, nil
	}
	prop := &peer.Proposal{}
	hdr := &common.Header{}
	chdr := &common.ChannelHeader{}
	shdr := &common.SignatureHeader{}
	if err := proto.Unmarshal(sp.GetProposalBytes(), prop); err != nil {
		return nil, err
	}
	if err := proto.Unmarshal(prop.GetHeader(), hdr); err != nil {
		return nil, err
	}
	if err := proto.Unmarshal(hdr.GetChannelHeader(), chdr); err != nil {
		return nil, err
	}
	if err := proto.Unmarshal(hdr.GetSignatureHeader(), shdr); err != nil {
		return nil, err
	}
	sid, err := creatorOf(shdr.GetCreator())
	if err != nil {
		return nil, err
	}
	return js.Obj{{K: "channelId", V: chdr.GetChannelId()}, {K: "txId", V: chdr.GetTxId()}, {K: "mspid", V: sid.GetMspid()}}, nil
}

// dateTimestamp is the transaction time as JavaScript's Date#toISOString of
// new Date(seconds * 1000 + nanos / 1e6): the same float64 arithmetic (explicit conversions keep
// Go from fusing the multiply-add), truncated to whole milliseconds as the Date constructor does.
func dateTimestamp(stub shim.ChaincodeStubInterface) (any, error) {
	ts, err := stub.GetTxTimestamp()
	if err != nil {
		return nil, err
	}
	if ts == nil {
		return nil, errors.New("the transaction has no timestamp")
	}
	ms := float64(float64(ts.GetSeconds())*1000) + float64(float64(ts.GetNanos())/1e6)
	t := time.UnixMilli(int64(ms)).UTC()
	return t.Format("2006-01-02T15:04:05.000Z"), nil
}

func clientIdentity(stub shim.ChaincodeStubInterface, attr, ou string) (any, error) {
	id, err := cid.New(stub)
	if err != nil {
		return nil, err
	}
	b64, err := id.GetID()
	if err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, err
	}
	mspid, err := id.GetMSPID()
	if err != nil {
		return nil, err
	}
	var attrValue any
	if v, found, err := id.GetAttributeValue(attr); err != nil {
		return nil, err
	} else if found {
		attrValue = v
	}
	hasOU, err := id.HasOUValue(ou)
	if err != nil {
		return nil, err
	}
	return js.Obj{{K: "id", V: string(raw)}, {K: "mspid", V: mspid}, {K: "attr", V: attrValue}, {K: "ou", V: hasOU}}, nil
}

// batchOps runs every kind of write inside one write batch (Go only; see main.go).
func batchOps(stub shim.ChaincodeStubInterface, opsJSON string) error {
	var ops [][]string
	if err := json.Unmarshal([]byte(opsJSON), &ops); err != nil {
		return fmt.Errorf("batchOps: %w", err)
	}
	stub.StartWriteBatch()
	for _, op := range ops {
		arg := func(i int) string {
			if i < len(op) {
				return op[i]
			}
			return ""
		}
		var err error
		switch arg(0) {
		case "put":
			err = stub.PutState(arg(1), []byte(arg(2)))
		case "del":
			err = stub.DelState(arg(1))
		case "putPrivate":
			err = stub.PutPrivateData(arg(1), arg(2), []byte(arg(3)))
		case "delPrivate":
			err = stub.DelPrivateData(arg(1), arg(2))
		case "purge":
			err = stub.PurgePrivateData(arg(1), arg(2))
		case "vp":
			var ep []byte
			if ep, err = policy(statebased.RoleTypeMember, arg(2)); err == nil {
				err = stub.SetStateValidationParameter(arg(1), ep)
			}
		case "vpPrivate":
			var ep []byte
			if ep, err = policy(statebased.RoleTypePeer, arg(3)); err == nil {
				err = stub.SetPrivateDataValidationParameter(arg(1), arg(2), ep)
			}
		default:
			err = fmt.Errorf("batchOps: unknown operation %q", arg(0))
		}
		if err != nil {
			return err
		}
	}
	return stub.FinishWriteBatch()
}

func runCommand(stub shim.ChaincodeStubInterface, fcn string, p []string) (any, error) {
	arg := func(i int) string {
		if i < len(p) {
			return p[i]
		}
		return ""
	}
	a, b, c, d := arg(0), arg(1), arg(2), arg(3)
	switch fcn {
	case "getArgs", "getBufferArgs":
		return stub.GetArgs(), nil
	case "getStringArgs":
		return stub.GetStringArgs(), nil
	case "getFunctionAndParameters":
		f, params := stub.GetFunctionAndParameters()
		return js.Obj{{K: "fcn", V: f}, {K: "params", V: params}}, nil
	case "getArgsSlice":
		s, err := stub.GetArgsSlice()
		if err != nil {
			return nil, err
		}
		return s, nil
	case "getDecorations":
		dec := stub.GetDecorations()
		if dec == nil {
			dec = map[string][]byte{}
		}
		return dec, nil
	case "getTxID":
		return stub.GetTxID(), nil
	case "getChannelID":
		return stub.GetChannelID(), nil
	case "getCreator":
		b, err := stub.GetCreator()
		if err != nil {
			return nil, err
		}
		sid, err := creatorOf(b)
		if err != nil || sid == nil {
			return nil, err
		}
		return js.Obj{{K: "mspid", V: sid.GetMspid()}, {K: "idBytes", V: sid.GetIdBytes()}}, nil
	case "getMspID":
		return shim.GetMSPID()
	case "getTransient":
		t, err := stub.GetTransient()
		if err != nil {
			return nil, err
		}
		if t == nil {
			t = map[string][]byte{}
		}
		return t, nil
	case "getSignedProposal":
		sp, err := stub.GetSignedProposal()
		if err != nil {
			return nil, err
		}
		return signedProposal(sp)
	case "getTxTimestamp":
		ts, err := stub.GetTxTimestamp()
		if err != nil {
			return nil, err
		}
		if ts == nil {
			return nil, errors.New("the transaction has no timestamp")
		}
		// Node gives seconds as an unsigned Long, printed with toString().
		return js.Obj{{K: "seconds", V: strconv.FormatUint(uint64(ts.GetSeconds()), 10)}, {K: "nanos", V: ts.GetNanos()}}, nil
	case "getDateTimestamp":
		return dateTimestamp(stub)
	case "getBinding":
		bnd, err := stub.GetBinding()
		if err != nil {
			return nil, err
		}
		return hex.EncodeToString(bnd), nil
	case "getState":
		v, err := stub.GetState(a)
		if err != nil {
			return nil, err
		}
		return js.Text(v), nil
	case "putState":
		return nil, stub.PutState(a, []byte(b))
	case "deleteState":
		return nil, stub.DelState(a)
	case "setStateValidationParameter":
		ep, err := policy(statebased.RoleTypeMember, b)
		if err != nil {
			return nil, err
		}
		return nil, stub.SetStateValidationParameter(a, ep)
	case "getStateValidationParameter":
		return listOrgs(stub.GetStateValidationParameter(a))
	case "getMultipleStates":
		keys, err := list(a)
		if err != nil {
			return nil, err
		}
		vs, err := stub.GetMultipleStates(keys...)
		if err != nil {
			return nil, err
		}
		return textList(vs), nil
	case "getStateByRange":
		return drained(stub.GetStateByRange(a, b))
	case "getStateByRangeWithPagination":
		n, err := num(c)
		if err != nil {
			return nil, err
		}
		return page(stub.GetStateByRangeWithPagination(a, b, n, d))
	case "getStateByPartialCompositeKey":
		attrs, err := list(b)
		if err != nil {
			return nil, err
		}
		return drained(stub.GetStateByPartialCompositeKey(a, attrs))
	case "getStateByPartialCompositeKeyWithPagination":
		attrs, err := list(b)
		if err != nil {
			return nil, err
		}
		n, err := num(c)
		if err != nil {
			return nil, err
		}
		return page(stub.GetStateByPartialCompositeKeyWithPagination(a, attrs, n, d))
	case "getAllStatesCompositeKeyWithPagination":
		n, err := num(a)
		if err != nil {
			return nil, err
		}
		return page(stub.GetAllStatesCompositeKeyWithPagination(n, b))
	case "getQueryResult":
		return drained(stub.GetQueryResult(a))
	case "getQueryResultWithPagination":
		n, err := num(b)
		if err != nil {
			return nil, err
		}
		return page(stub.GetQueryResultWithPagination(a, n, c))
	case "getHistoryForKey":
		it, err := stub.GetHistoryForKey(a)
		if err != nil {
			return nil, err
		}
		return drainHistory(it)
	case "invokeChaincode":
		strs, err := list(b)
		if err != nil {
			return nil, err
		}
		ccArgs := make([][]byte, len(strs))
		for i, s := range strs {
			ccArgs[i] = []byte(s)
		}
		r := stub.InvokeChaincode(a, ccArgs, c)
		return js.Obj{{K: "status", V: r.GetStatus()}, {K: "message", V: r.GetMessage()}, {K: "payload", V: js.Text(r.GetPayload())}}, nil
	case "setEvent":
		return nil, stub.SetEvent(a, []byte(b))
	case "createCompositeKey":
		attrs, err := list(b)
		if err != nil {
			return nil, err
		}
		return stub.CreateCompositeKey(a, attrs)
	case "splitCompositeKey":
		attrs, err := list(b)
		if err != nil {
			return nil, err
		}
		ck, err := stub.CreateCompositeKey(a, attrs)
		if err != nil {
			return nil, err
		}
		objectType, parts, err := stub.SplitCompositeKey(ck)
		if err != nil {
			return nil, err
		}
		return js.Obj{{K: "objectType", V: objectType}, {K: "attributes", V: parts}}, nil
	case "getPrivateData":
		v, err := stub.GetPrivateData(a, b)
		if err != nil {
			return nil, err
		}
		return js.Text(v), nil
	case "getPrivateDataHash":
		h, err := stub.GetPrivateDataHash(a, b)
		if err != nil {
			return nil, err
		}
		return hex.EncodeToString(h), nil
	case "putPrivateData":
		return nil, stub.PutPrivateData(a, b, []byte(c))
	case "putPrivateDataFromTransient":
		t, err := stub.GetTransient()
		if err != nil {
			return nil, err
		}
		v, ok := t[c]
		if !ok {
			return nil, fmt.Errorf("transient field %s is missing", c)
		}
		return nil, stub.PutPrivateData(a, b, v)
	case "deletePrivateData":
		return nil, stub.DelPrivateData(a, b)
	case "purgePrivateData":
		return nil, stub.PurgePrivateData(a, b)
	case "setPrivateDataValidationParameter":
		ep, err := policy(statebased.RoleTypePeer, c)
		if err != nil {
			return nil, err
		}
		return nil, stub.SetPrivateDataValidationParameter(a, b, ep)
	case "getPrivateDataValidationParameter":
		return listOrgs(stub.GetPrivateDataValidationParameter(a, b))
	case "getMultiplePrivateData":
		keys, err := list(b)
		if err != nil {
			return nil, err
		}
		vs, err := stub.GetMultiplePrivateData(a, keys...)
		if err != nil {
			return nil, err
		}
		return textList(vs), nil
	case "getPrivateDataByRange":
		return drained(stub.GetPrivateDataByRange(a, b, c))
	case "getPrivateDataByPartialCompositeKey":
		attrs, err := list(c)
		if err != nil {
			return nil, err
		}
		return drained(stub.GetPrivateDataByPartialCompositeKey(a, b, attrs))
	case "getPrivateDataQueryResult":
		return drained(stub.GetPrivateDataQueryResult(a, b))
	case "batchPut":
		// putState for each [key, value] pair inside a write batch; finish explicitly when asked
		// (else the shim flushes it after Invoke returns).
		var pairs [][]string
		if err := json.Unmarshal([]byte(a), &pairs); err != nil {
			return nil, fmt.Errorf("batchPut: %w", err)
		}
		stub.StartWriteBatch()
		for _, kv := range pairs {
			if len(kv) != 2 {
				return nil, fmt.Errorf("batchPut: not a [key, value] pair: %q", kv)
			}
			if err := stub.PutState(kv[0], []byte(kv[1])); err != nil {
				return nil, err
			}
		}
		if b == "finish" {
			return nil, stub.FinishWriteBatch()
		}
		return nil, nil
	case "batchOps":
		return nil, batchOps(stub, a)
	case "clientIdentity":
		return clientIdentity(stub, a, b)
	case "throw":
		if a == "" {
			a = "thrown on command"
		}
		return nil, errors.New(a)
	case "noResponse":
		return noResponse{}, nil
	case "status":
		n, err := strconv.ParseInt(a, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("not a status: %s", a)
		}
		return statusResult{status: int32(n), message: b}, nil
	default:
		return nil, fmt.Errorf("unknown command %s", fcn)
	}
}

// textList maps values to text; an absent value is "" (as our runtime and fabric-shim return an
// empty buffer for a missing key).
func textList(vs [][]byte) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = js.Text(v)
	}
	return out
}
