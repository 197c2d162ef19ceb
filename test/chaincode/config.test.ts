/**
 * Start-up settings: the flags and environment variables fabric-shim, the Go shim and the Java shim
 * read, their precedence, and the error texts for what is missing or wrong.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTlsCa, issueClientCert } from '../../src/identity/index.js';
import { ChaincodeServer, parseFlags, parseListenAddress, parseTlsEnabled, resolveClientConfig, success } from '../../src/chaincode/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ccproto-cc-config-'));
const file = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const ca = createTlsCa();
const client = issueClientCert(ca, 'mycc:1');
const b64 = (s: string) => Buffer.from(s).toString('base64');
const NAME = { CORE_CHAINCODE_ID_NAME: 'mycc:1' };
const cc = { Init: () => success(), Invoke: () => success() };

describe('client mode: address and name', () => {
  it('every spelling of the peer address flag', () => {
    for (const argv of [
      ['--peer.address', 'h:7052'],
      ['--peer.address=h:7052'],
      ['-peer.address=h:7052'],
      ['-peer.address', 'h:7052'],
      ['--peerAddress', 'h:7052'],
      ['--other', '--peer.address', 'h:7052', 'positional'],
    ]) {
      expect(resolveClientConfig(argv, NAME).peerAddress, argv.join(' ')).toBe('h:7052');
    }
    expect(resolveClientConfig([], { ...NAME, CORE_PEER_ADDRESS: 'env:1' }).peerAddress).toBe('env:1');
    expect(resolveClientConfig(['--peer.address', 'flag:1'], { ...NAME, CORE_PEER_ADDRESS: 'env:1' }).peerAddress).toBe('flag:1');
    // fabric-shim: a --CORE_PEER_ADDRESS argument overrides --peer.address.
    expect(resolveClientConfig(['--peer.address', 'flag:1', '--CORE_PEER_ADDRESS', 'arg:2'], NAME).peerAddress).toBe('arg:2');
    expect(resolveClientConfig(['--peer.address', 'flag:1'], NAME, { peerAddress: 'opt:3' }).peerAddress).toBe('opt:3');
  });

  it('the name: --chaincode-id-name, CORE_CHAINCODE_ID_NAME', () => {
    expect(resolveClientConfig(['--peer.address', 'h:1', '--chaincode-id-name', 'flagcc:1'], NAME).chaincodeName).toBe('flagcc:1');
    expect(resolveClientConfig(['--peer.address', 'h:1'], NAME).chaincodeName).toBe('mycc:1');
    expect(() => resolveClientConfig(['--peer.address', 'h:1'], {})).toThrow("'CORE_CHAINCODE_ID_NAME' must be set");
  });

  it('address errors', () => {
    expect(() => resolveClientConfig([], NAME)).toThrow("flag 'peer.address' must be set");
    expect(() => resolveClientConfig(['--peer.address'], NAME)).toThrow("flag 'peer.address' needs a value");
    expect(() => resolveClientConfig(['--peer.address', 'http://h:1'], NAME)).toThrow('can not be set to an "http(s)" url, use grpc(s) or omit the protocol');
    expect(() => resolveClientConfig(['--peer.address', 'h'], NAME)).toThrow(/is not <host>:<port>/);
    expect(resolveClientConfig(['--peer.address', 'grpc://h:1'], { ...NAME, CORE_PEER_TLS_ENABLED: 'true' }).tls).toBeUndefined();
  });

  it('parseFlags ignores what it does not know', () => {
    expect(parseFlags(['--grpc.max_send_message_length', '5', 'x', '--ssl-target-name-override=peer0'])).toEqual({ sslTargetNameOverride: 'peer0' });
  });
});

describe('client mode: TLS from the environment', () => {
  const root = file('root.pem', ca.certPem);
  const keyFile = file('client_pem.key', client.keyPem);
  const certFile = file('client_pem.crt', client.certPem);
  const keyPath = file('client.key', b64(client.keyPem));
  const certPath = file('client.crt', b64(client.certPem));
  const base = { ...NAME, CORE_PEER_TLS_ENABLED: 'true', CORE_PEER_TLS_ROOTCERT_FILE: root };

  it('CORE_PEER_TLS_ENABLED takes Go strconv.ParseBool spellings; unset is false', () => {
    for (const v of ['1', 't', 'T', 'true', 'TRUE', 'True']) expect(parseTlsEnabled(v)).toBe(true);
    for (const v of [undefined, '', '0', 'f', 'false', 'FALSE']) expect(parseTlsEnabled(v)).toBe(false);
    expect(() => parseTlsEnabled('yes')).toThrow("'CORE_PEER_TLS_ENABLED' must be set to 'true' or 'false'");
  });

  it('the _PATH variables hold base64 of the PEM (what the peer writes, what fabric-shim reads)', () => {
    const cfg = resolveClientConfig(['--peer.address', 'h:1'], { ...base, CORE_TLS_CLIENT_KEY_PATH: keyPath, CORE_TLS_CLIENT_CERT_PATH: certPath });
    expect(cfg.tls).toEqual({ rootCaPem: ca.certPem, clientKeyPem: client.keyPem, clientCertPem: client.certPem });
  });

  it('the _FILE variables (PEM) are preferred, as in the Go shim', () => {
    const cfg = resolveClientConfig(['--peer.address', 'h:1', '--ssl-target-name-override', 'peer0.org1'], {
      ...base,
      CORE_TLS_CLIENT_KEY_FILE: keyFile,
      CORE_TLS_CLIENT_CERT_FILE: certFile,
      CORE_TLS_CLIENT_KEY_PATH: file('bad.key', 'not base64 at all!'),
      CORE_TLS_CLIENT_CERT_PATH: certPath,
    });
    expect(cfg.tls).toEqual({ rootCaPem: ca.certPem, clientKeyPem: client.keyPem, clientCertPem: client.certPem, serverNameOverride: 'peer0.org1' });
  });

  it('grpcs:// turns TLS on by itself', () => {
    const cfg = resolveClientConfig(['--peer.address', 'grpcs://h:1'], { ...NAME, CORE_PEER_TLS_ROOTCERT_FILE: root, CORE_TLS_CLIENT_KEY_FILE: keyFile, CORE_TLS_CLIENT_CERT_FILE: certFile });
    expect(cfg.tls?.rootCaPem).toBe(ca.certPem);
  });

  it('clear errors for missing or broken material', () => {
    const argv = ['--peer.address', 'h:1'];
    expect(() => resolveClientConfig(argv, { ...NAME, CORE_PEER_TLS_ENABLED: 'true' })).toThrow('failed to read root cert file: CORE_PEER_TLS_ROOTCERT_FILE is not set');
    expect(() => resolveClientConfig(argv, { ...base, CORE_PEER_TLS_ROOTCERT_FILE: join(dir, 'nope.pem') })).toThrow(/failed to read root cert file: ENOENT/);
    expect(() => resolveClientConfig(argv, base)).toThrow('The client key and cert are needed when TLS is enabled');
    expect(() => resolveClientConfig(argv, { ...base, CORE_TLS_CLIENT_KEY_PATH: join(dir, 'missing'), CORE_TLS_CLIENT_CERT_PATH: certPath })).toThrow(/failed to read private key file: ENOENT/);
    expect(() => resolveClientConfig(argv, { ...base, CORE_TLS_CLIENT_KEY_PATH: keyPath, CORE_TLS_CLIENT_CERT_PATH: file('plain.crt', client.certPem) })).toThrow(
      /failed to decode public key file: .* does not hold base64 of a PEM block/,
    );
    expect(() => resolveClientConfig(['--peer.address', 'grpcs://h:1'], NAME, { tls: false })).toThrow(/asks for TLS but TLS was turned off/);
  });
});

describe('server mode settings', () => {
  it('ccid and address from options, then the environment (precedence), with Go texts when missing', () => {
    const env = { CHAINCODE_SERVER_ADDRESS: '127.0.0.1:9999', CORE_CHAINCODE_ADDRESS: '127.0.0.1:1', CORE_CHAINCODE_ID: 'core:1', CHAINCODE_ID: 'plain:1' };
    const s = new ChaincodeServer(cc, { env });
    expect([s.ccid, s.address]).toEqual(['core:1', '127.0.0.1:9999']);
    const s2 = new ChaincodeServer(cc, { env: { CORE_CHAINCODE_ADDRESS: '0.0.0.0:1', CHAINCODE_ID: 'plain:1' } });
    expect([s2.ccid, s2.address]).toEqual(['plain:1', '0.0.0.0:1']);
    const s3 = new ChaincodeServer(cc, { env, ccid: 'opt:1', address: ':7777' });
    expect([s3.ccid, s3.address]).toEqual(['opt:1', ':7777']);
    expect(() => new ChaincodeServer(cc, { env: { CHAINCODE_SERVER_ADDRESS: 'h:1' } })).toThrow('ccid must be specified');
    expect(() => new ChaincodeServer(cc, { env: { CHAINCODE_ID: 'x' } })).toThrow('address must be specified');
    expect(() => new ChaincodeServer(cc, { env: { CHAINCODE_ID: 'x', CHAINCODE_SERVER_ADDRESS: 'nohost' } })).toThrow(/is not <host>:<port>/);
  });

  it('TLS from CORE_CHAINCODE_TLS_* (fabric-shim server options)', () => {
    const env = { CHAINCODE_ID: 'x', CHAINCODE_SERVER_ADDRESS: '127.0.0.1:0' };
    expect(() => new ChaincodeServer(cc, { env: { ...env, CORE_CHAINCODE_TLS_CERT_FILE: file('c.pem', client.certPem) } })).toThrow('A TLS option is set but no key is specified');
    expect(() => new ChaincodeServer(cc, { env: { ...env, CORE_CHAINCODE_TLS_KEY_PATH: file('k.b64', b64(client.keyPem)) } })).toThrow('A TLS option is set but no cert is specified');
    expect(() => new ChaincodeServer(cc, { env, tlsProps: { key: '', cert: 'x' } })).toThrow('Missing required property in serverOpts.tlsProps: key');
    expect(() => new ChaincodeServer(cc, { env: { ...env, CORE_CHAINCODE_TLS_KEY_FILE: file('k.pem', client.keyPem), CORE_CHAINCODE_TLS_CERT_PATH: file('c.b64', b64(client.certPem)) } })).not.toThrow();
  });

  it('listen addresses', () => {
    expect(parseListenAddress('0.0.0.0:9999')).toEqual({ host: '0.0.0.0', port: 9999 });
    expect(parseListenAddress(':9999')).toEqual({ host: '0.0.0.0', port: 9999 });
    expect(parseListenAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListenAddress('cc.example.com:7052')).toEqual({ host: 'cc.example.com', port: 7052 });
    expect(() => parseListenAddress('h:70000')).toThrow();
  });
});
