// blockdecode reads Fabric blocks the way Fabric's own tools do, for ccproto's interop tests:
// each file argument holds one marshalled common.Block. It decodes it with protolator (the
// library behind `configtxlator proto_decode --type common.Block`), and for a config block it
// also reads the channel configuration with fabric-config's configtx package (application
// organisations with their MSPs and policies, orderer batch settings). Prints one JSON array;
// exits 1 with the error on stderr if any block does not decode.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-config/protolator"
	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

type orgSummary struct {
	Name      string   `json:"name"`
	MSPName   string   `json:"mspName"`
	RootCerts int      `json:"rootCerts"`
	TLSRoots  int      `json:"tlsRootCerts"`
	NodeOUs   bool     `json:"nodeOUs"`
	Policies  []string `json:"policies"`
}

type configSummary struct {
	ChannelPolicies     []string     `json:"channelPolicies"`
	ApplicationOrgs     []orgSummary `json:"applicationOrgs"`
	ApplicationPolicies []string     `json:"applicationPolicies"`
	BatchTimeout        string       `json:"batchTimeout"`
	MaxMessageCount     uint32       `json:"maxMessageCount"`
	OrdererError        string       `json:"ordererError,omitempty"`
}

type decoded struct {
	Block  json.RawMessage `json:"block"`
	Config *configSummary  `json:"config,omitempty"`
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func configOf(block *cb.Block) (*configSummary, error) {
	if len(block.GetData().GetData()) != 1 {
		return nil, nil
	}
	env := &cb.Envelope{}
	if err := proto.Unmarshal(block.Data.Data[0], env); err != nil {
		return nil, fmt.Errorf("envelope: %w", err)
	}
	payload := &cb.Payload{}
	if err := proto.Unmarshal(env.Payload, payload); err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	ch := &cb.ChannelHeader{}
	if err := proto.Unmarshal(payload.GetHeader().GetChannelHeader(), ch); err != nil {
		return nil, fmt.Errorf("channel header: %w", err)
	}
	if ch.Type != int32(cb.HeaderType_CONFIG) {
		return nil, nil
	}
	ce := &cb.ConfigEnvelope{}
	if err := proto.Unmarshal(payload.Data, ce); err != nil {
		return nil, fmt.Errorf("config envelope: %w", err)
	}
	c := configtx.New(ce.Config)
	channel, err := c.Channel().Configuration()
	if err != nil {
		return nil, fmt.Errorf("channel configuration: %w", err)
	}
	app, err := c.Application().Configuration()
	if err != nil {
		return nil, fmt.Errorf("application configuration: %w", err)
	}
	s := &configSummary{ChannelPolicies: keys(channel.Policies), ApplicationPolicies: keys(app.Policies)}
	for _, org := range app.Organizations {
		s.ApplicationOrgs = append(s.ApplicationOrgs, orgSummary{
			Name:      org.Name,
			MSPName:   org.MSP.Name,
			RootCerts: len(org.MSP.RootCerts),
			TLSRoots:  len(org.MSP.TLSRootCerts),
			NodeOUs:   org.MSP.NodeOUs.Enable,
			Policies:  keys(org.Policies),
		})
	}
	orderer, err := c.Orderer().Configuration()
	if err != nil {
		s.OrdererError = err.Error()
	} else {
		s.BatchTimeout = orderer.BatchTimeout.String()
		s.MaxMessageCount = orderer.BatchSize.MaxMessageCount
	}
	return s, nil
}

func decode(path string) (decoded, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return decoded{}, err
	}
	block := &cb.Block{}
	if err := proto.Unmarshal(raw, block); err != nil {
		return decoded{}, fmt.Errorf("%s: common.Block: %w", path, err)
	}
	var buf bytes.Buffer
	if err := protolator.DeepMarshalJSON(&buf, block); err != nil {
		return decoded{}, fmt.Errorf("%s: protolator: %w", path, err)
	}
	config, err := configOf(block)
	if err != nil {
		return decoded{}, fmt.Errorf("%s: %w", path, err)
	}
	return decoded{Block: buf.Bytes(), Config: config}, nil
}

func main() {
	out := []decoded{}
	for _, path := range os.Args[1:] {
		d, err := decode(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		out = append(out, d)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
