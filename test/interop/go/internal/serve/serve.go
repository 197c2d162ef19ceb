// Package serve runs a shim.Chaincode in one of the Go shim's two modes, chosen by the environment
// as test/chaincode/fixtures/allStub.ts chooses (server mode when CHAINCODE_SERVER_ADDRESS is set).
//
// Client mode (shim.Start): the chaincode dials the peer. The shim itself reads what a peer's
// launcher provides: --peer.address=HOST:PORT, CORE_CHAINCODE_ID_NAME, CORE_PEER_TLS_ENABLED
// (required: true/false) and, with TLS, CORE_TLS_CLIENT_KEY_FILE / CORE_TLS_CLIENT_CERT_FILE (PEM;
// else the base64 CORE_TLS_CLIENT_KEY_PATH / CORE_TLS_CLIENT_CERT_PATH) and
// CORE_PEER_TLS_ROOTCERT_FILE.
//
// Server mode, chaincode-as-a-service (shim.ChaincodeServer): the peer dials the chaincode.
//
//	CHAINCODE_SERVER_ADDRESS   listen address, HOST:PORT (required). With port 0 a free port is
//	                           picked first (the shim's server cannot report the port it bound).
//	CORE_CHAINCODE_ID, else CHAINCODE_ID
//	                           the package id it registers with, LABEL:HASH (required).
//	CORE_CHAINCODE_TLS_KEY_FILE, CORE_CHAINCODE_TLS_CERT_FILE
//	                           PEM server key and certificate: TLS on when both are set.
//	CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE
//	                           PEM CA of the peer's client certificate: mutual TLS when set.
//
// These are the names our runtime's server mode reads (src/chaincode/config.ts, server.ts). The names of
// fabric-samples' external chaincode (CHAINCODE_TLS_DISABLED, CHAINCODE_TLS_KEY,
// CHAINCODE_TLS_CERT, CHAINCODE_CLIENT_CA_CERT: file paths) are read as fallbacks.
//
// In server mode one line goes to stdout once the address is chosen:
//
//	listening on HOST:PORT tls=off|tls|mutual
package serve

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
)

// Run serves cc in server mode when CHAINCODE_SERVER_ADDRESS is set, else in client mode. It
// returns when the connection (client mode) or the server (server mode) ends.
func Run(cc shim.Chaincode) error {
	if addr := os.Getenv("CHAINCODE_SERVER_ADDRESS"); addr != "" {
		return runServer(addr, cc)
	}
	return shim.Start(cc)
}

// Main runs cc and exits: 0 when it ended cleanly, 1 with the error on stderr.
func Main(name string, cc shim.Chaincode) {
	if err := Run(cc); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %s\n", name, err)
		os.Exit(1)
	}
}

func firstEnv(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

func readIf(path string) ([]byte, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return b, nil
}

func runServer(addr string, cc shim.Chaincode) error {
	ccid := firstEnv("CORE_CHAINCODE_ID", "CHAINCODE_ID")
	if ccid == "" {
		return errors.New("server mode: CORE_CHAINCODE_ID or CHAINCODE_ID (LABEL:HASH) must be set")
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("CHAINCODE_SERVER_ADDRESS %q: %w", addr, err)
	}
	if port == "0" {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return err
		}
		port = strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
		_ = l.Close()
		addr = net.JoinHostPort(host, port)
	}

	tlsProps := shim.TLSProperties{Disabled: true}
	keyFile := firstEnv("CORE_CHAINCODE_TLS_KEY_FILE", "CHAINCODE_TLS_KEY")
	certFile := firstEnv("CORE_CHAINCODE_TLS_CERT_FILE", "CHAINCODE_TLS_CERT")
	caFile := firstEnv("CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE", "CHAINCODE_CLIENT_CA_CERT")
	disabled, _ := strconv.ParseBool(os.Getenv("CHAINCODE_TLS_DISABLED"))
	mode := "off"
	if keyFile != "" && certFile != "" && !disabled {
		key, err := readIf(keyFile)
		if err != nil {
			return fmt.Errorf("TLS key: %w", err)
		}
		cert, err := readIf(certFile)
		if err != nil {
			return fmt.Errorf("TLS certificate: %w", err)
		}
		ca, err := readIf(caFile)
		if err != nil {
			return fmt.Errorf("TLS client CA: %w", err)
		}
		tlsProps = shim.TLSProperties{Key: key, Cert: cert, ClientCACerts: ca}
		mode = "tls"
		if ca != nil {
			mode = "mutual"
		}
	}

	server := &shim.ChaincodeServer{CCID: ccid, Address: addr, CC: cc, TLSProps: tlsProps}
	fmt.Printf("listening on %s tls=%s\n", addr, mode)
	return server.Start()
}
