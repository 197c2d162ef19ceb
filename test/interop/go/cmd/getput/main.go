// Command getput is the benchmark chaincode of `npm run bench:chaincode` on the Go shim: the same
// logic as bench/fixtures/getPutShim.cjs (fabric-shim) and examples/bench-getput (ccproto): one
// GetState and one PutState per transaction, arguments `put KEY VALUE`. Client mode only (the peer
// launches it with --peer.address).
package main

import (
	"fmt"
	"os"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	pb "github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

type getPut struct{}

func (getPut) Init(shim.ChaincodeStubInterface) *pb.Response { return shim.Success(nil) }

func (getPut) Invoke(stub shim.ChaincodeStubInterface) *pb.Response {
	args := stub.GetArgs()
	if len(args) < 3 {
		return shim.Error("expected: put KEY VALUE")
	}
	key := string(args[1])
	if _, err := stub.GetState(key); err != nil {
		return shim.Error(err.Error())
	}
	if err := stub.PutState(key, args[2]); err != nil {
		return shim.Error(err.Error())
	}
	return shim.Success(nil)
}

func main() {
	if err := shim.Start(getPut{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
