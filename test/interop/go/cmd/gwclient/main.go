// A Fabric Gateway application written with the Go client (github.com/hyperledger/fabric-gateway),
// run by test/interop/go/gateway.test.ts against ccproto's dev peer: it connects as the test
// network's samples do (TLS CA, server name, User1's certificate and key) and prints one JSON
// object per step.
//
//	gwclient ADDRESS TLS_CA_FILE SERVER_NAME MSP_ID CERT_FILE KEY_FILE
package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
)

func emit(step string, fields map[string]any) {
	fields["step"] = step
	b, _ := json.Marshal(fields)
	fmt.Println(string(b))
}

func must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return v
}

func main() {
	address, caFile, serverName, mspID, certFile, keyFile := os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5], os.Args[6]
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(must(os.ReadFile(caFile)))
	conn := must(grpc.NewClient(address, grpc.WithTransportCredentials(credentials.NewClientTLSFromCert(pool, serverName))))
	defer conn.Close()
	cert := must(identity.CertificateFromPEM(must(os.ReadFile(certFile))))
	id := must(identity.NewX509Identity(mspID, cert))
	key := must(identity.PrivateKeyFromPEM(must(os.ReadFile(keyFile))))
	sign := must(identity.NewPrivateKeySign(key))
	gw := must(client.Connect(id, client.WithSign(sign), client.WithHash(hash.SHA256), client.WithClientConnection(conn),
		client.WithEvaluateTimeout(30*time.Second), client.WithEndorseTimeout(30*time.Second),
		client.WithSubmitTimeout(30*time.Second), client.WithCommitStatusTimeout(60*time.Second)))
	defer gw.Close()
	network := gw.GetNetwork("mychannel")
	contract := network.GetContract("ledgercc")

	result := must(contract.SubmitTransaction("put", "go-key", "go-value"))
	emit("submit", map[string]any{"result": string(result)})
	result = must(contract.EvaluateTransaction("get", "go-key"))
	emit("evaluate", map[string]any{"result": string(result)})

	_, err := contract.EvaluateTransaction("status", "500", "boom")
	details := []map[string]string{}
	if err != nil {
		for _, d := range status.Convert(err).Details() {
			if ed, ok := d.(interface {
				GetAddress() string
				GetMspId() string
				GetMessage() string
			}); ok {
				details = append(details, map[string]string{"address": ed.GetAddress(), "mspId": ed.GetMspId(), "message": ed.GetMessage()})
			}
		}
	}
	emit("evaluateError", map[string]any{"code": int(status.Code(err)), "message": status.Convert(err).Message(), "details": details})

	_, commit, err := contract.SubmitAsync("event", client.WithArguments("go-event", "go-payload"))
	if err != nil {
		emit("submitAsync", map[string]any{"error": err.Error()})
		os.Exit(1)
	}
	st := must(commit.Status())
	emit("status", map[string]any{"code": int32(st.Code), "successful": st.Successful, "block": st.BlockNumber})

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	events := must(network.ChaincodeEvents(ctx, "ledgercc", client.WithStartBlock(st.BlockNumber)))
	ev := <-events
	emit("chaincodeEvent", map[string]any{"name": ev.EventName, "payload": string(ev.Payload), "block": ev.BlockNumber, "txId": ev.TransactionID, "expectedTxId": commit.TransactionID()})

	blocks := must(network.BlockEvents(ctx, client.WithStartBlock(0)))
	numbers := []uint64{}
	for b := range blocks {
		numbers = append(numbers, b.GetHeader().GetNumber())
		if len(numbers) == 2 {
			break
		}
	}
	emit("blockEvents", map[string]any{"numbers": numbers})

	filtered := must(network.FilteredBlockEvents(ctx, client.WithStartBlock(st.BlockNumber)))
	fb := <-filtered
	txs := []map[string]any{}
	for _, t := range fb.GetFilteredTransactions() {
		txs = append(txs, map[string]any{"txId": t.GetTxid(), "code": int32(t.GetTxValidationCode())})
	}
	emit("filteredBlock", map[string]any{"number": fb.GetNumber(), "txs": txs})

	// Endorsed by one organisation only, where the chaincode's policy (MAJORITY Endorsement of
	// two organisations) needs both: ordered, then invalidated at commit.
	_, partial, err := contract.SubmitAsync("put", client.WithArguments("go-partial", "x"), client.WithEndorsingOrganizations(mspID))
	if err != nil {
		emit("endorsingOrganizations", map[string]any{"error": err.Error()})
		os.Exit(1)
	}
	pst := must(partial.Status())
	emit("endorsingOrganizations", map[string]any{"code": int32(pst.Code), "successful": pst.Successful})
}
