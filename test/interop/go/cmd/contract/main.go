// Command contract is a small asset contract written with fabric-contract-api-go/v2, the way most Go
// chaincode is written today. It runs in the same two modes as cmd/command, chosen by the same
// variables (internal/serve): server mode when CHAINCODE_SERVER_ADDRESS is set, else client mode.
//
// (ContractChaincode.Start would choose too, but by other variables: CHAINCODE_SERVER_ADDRESS with
// CORE_CHAINCODE_ID_NAME as the package id, and the server's TLS key and certificate read from
// CORE_TLS_CLIENT_KEY_FILE / CORE_TLS_CLIENT_CERT_FILE when CORE_PEER_TLS_ENABLED is true. Both
// binaries use internal/serve so that the tests start them alike.)
//
// Transactions (the default contract, so no "AssetContract:" prefix is needed):
//
//	CreateAsset(id, color, size, owner, appraisedValue)   error if it exists; emits AssetCreated
//	ReadAsset(id) → Asset                                 error if missing
//	UpdateAsset(id, color, size, owner, appraisedValue)   error if missing
//	DeleteAsset(id)                                       error if missing
//	AssetExists(id) → bool
//	TransferAsset(id, newOwner) → old owner               emits AssetTransferred
//	GetAllAssets() → []Asset                              range query over every asset
//	QueryAssetsByOwner(owner) → []Asset                   rich (Mango) query
//	AssetHistory(id) → []HistoryEntry
//	WhoAmI() → Caller                                     client identity (pkg/cid through the context)
//	Fail(message)                                         always returns an error with that message
package main

import (
	"encoding/json"
	"fmt"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"ccproto.test/interop/internal/serve"
)

// Asset is what the ledger stores under its ID (JSON).
type Asset struct {
	ID             string `json:"ID"`
	Color          string `json:"color"`
	Size           int    `json:"size"`
	Owner          string `json:"owner"`
	AppraisedValue int    `json:"appraisedValue"`
}

// HistoryEntry is one write of an asset.
type HistoryEntry struct {
	TxID     string `json:"txId"`
	IsDelete bool   `json:"isDelete"`
	Asset    *Asset `json:"asset,omitempty" metadata:",optional"`
}

// Caller describes the submitting identity.
type Caller struct {
	MSPID string `json:"mspId"`
	ID    string `json:"id"`
}

// AssetContract manages assets.
type AssetContract struct {
	contractapi.Contract
}

func (c *AssetContract) CreateAsset(ctx contractapi.TransactionContextInterface, id string, color string, size int, owner string, appraisedValue int) error {
	exists, err := c.AssetExists(ctx, id)
	if err != nil {
		return err
	}
	if exists {
		return fmt.Errorf("the asset %s already exists", id)
	}
	if err := put(ctx, Asset{ID: id, Color: color, Size: size, Owner: owner, AppraisedValue: appraisedValue}); err != nil {
		return err
	}
	return ctx.GetStub().SetEvent("AssetCreated", []byte(id))
}

func (c *AssetContract) ReadAsset(ctx contractapi.TransactionContextInterface, id string) (*Asset, error) {
	b, err := ctx.GetStub().GetState(id)
	if err != nil {
		return nil, fmt.Errorf("failed to read from world state: %w", err)
	}
	if b == nil {
		return nil, fmt.Errorf("the asset %s does not exist", id)
	}
	var a Asset
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

func (c *AssetContract) UpdateAsset(ctx contractapi.TransactionContextInterface, id string, color string, size int, owner string, appraisedValue int) error {
	exists, err := c.AssetExists(ctx, id)
	if err != nil {
		return err
	}
	if !exists {
		return fmt.Errorf("the asset %s does not exist", id)
	}
	return put(ctx, Asset{ID: id, Color: color, Size: size, Owner: owner, AppraisedValue: appraisedValue})
}

func (c *AssetContract) DeleteAsset(ctx contractapi.TransactionContextInterface, id string) error {
	exists, err := c.AssetExists(ctx, id)
	if err != nil {
		return err
	}
	if !exists {
		return fmt.Errorf("the asset %s does not exist", id)
	}
	return ctx.GetStub().DelState(id)
}

func (c *AssetContract) AssetExists(ctx contractapi.TransactionContextInterface, id string) (bool, error) {
	b, err := ctx.GetStub().GetState(id)
	if err != nil {
		return false, fmt.Errorf("failed to read from world state: %w", err)
	}
	return b != nil, nil
}

func (c *AssetContract) TransferAsset(ctx contractapi.TransactionContextInterface, id string, newOwner string) (string, error) {
	a, err := c.ReadAsset(ctx, id)
	if err != nil {
		return "", err
	}
	old := a.Owner
	a.Owner = newOwner
	if err := put(ctx, *a); err != nil {
		return "", err
	}
	return old, ctx.GetStub().SetEvent("AssetTransferred", []byte(fmt.Sprintf(`{"ID":%q,"from":%q,"to":%q}`, id, old, newOwner)))
}

func (c *AssetContract) GetAllAssets(ctx contractapi.TransactionContextInterface) ([]*Asset, error) {
	it, err := ctx.GetStub().GetStateByRange("", "")
	if err != nil {
		return nil, err
	}
	return collect(it)
}

func (c *AssetContract) QueryAssetsByOwner(ctx contractapi.TransactionContextInterface, owner string) ([]*Asset, error) {
	q, _ := json.Marshal(map[string]any{"selector": map[string]any{"owner": owner}})
	it, err := ctx.GetStub().GetQueryResult(string(q))
	if err != nil {
		return nil, err
	}
	return collect(it)
}

func (c *AssetContract) AssetHistory(ctx contractapi.TransactionContextInterface, id string) ([]*HistoryEntry, error) {
	it, err := ctx.GetStub().GetHistoryForKey(id)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	out := []*HistoryEntry{}
	for it.HasNext() {
		m, err := it.Next()
		if err != nil {
			return nil, err
		}
		e := &HistoryEntry{TxID: m.GetTxId(), IsDelete: m.GetIsDelete()}
		if !m.GetIsDelete() {
			var a Asset
			if err := json.Unmarshal(m.GetValue(), &a); err != nil {
				return nil, err
			}
			e.Asset = &a
		}
		out = append(out, e)
	}
	return out, nil
}

func (c *AssetContract) WhoAmI(ctx contractapi.TransactionContextInterface) (*Caller, error) {
	ci := ctx.GetClientIdentity()
	if ci == nil {
		return nil, fmt.Errorf("no client identity")
	}
	msp, err := ci.GetMSPID()
	if err != nil {
		return nil, err
	}
	id, err := ci.GetID()
	if err != nil {
		return nil, err
	}
	return &Caller{MSPID: msp, ID: id}, nil
}

func (c *AssetContract) Fail(ctx contractapi.TransactionContextInterface, message string) error {
	return fmt.Errorf("%s", message)
}

func put(ctx contractapi.TransactionContextInterface, a Asset) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return ctx.GetStub().PutState(a.ID, b)
}

func collect(it shim.StateQueryIteratorInterface) ([]*Asset, error) {
	defer it.Close()
	out := []*Asset{}
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return nil, err
		}
		var a Asset
		if err := json.Unmarshal(kv.GetValue(), &a); err != nil {
			return nil, fmt.Errorf("key %s does not hold an asset: %w", kv.GetKey(), err)
		}
		out = append(out, &a)
	}
	return out, nil
}

func main() {
	cc, err := contractapi.NewChaincode(&AssetContract{})
	if err != nil {
		panic(fmt.Sprintf("creating the contract chaincode: %s", err))
	}
	serve.Main("contract", cc)
}
