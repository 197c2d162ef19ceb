import { describe, expect, it } from 'vitest';

import {
  AddressError,
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  formatHostPort,
  parseAddress,
} from '../../src/transport/index.js';
import { decodeHealthCheckRequest, encodeHealthCheckResponse } from '../../src/transport/health.js';

describe('parseAddress', () => {
  it.each([
    ['peer0.org1.example.com:7052', undefined, 'peer0.org1.example.com', 7052, 'peer0.org1.example.com:7052'],
    ['grpc://127.0.0.1:7052', 'grpc', '127.0.0.1', 7052, '127.0.0.1:7052'],
    ['grpcs://cc.example.com:9999', 'grpcs', 'cc.example.com', 9999, 'cc.example.com:9999'],
    ['GRPCS://cc:1/', 'grpcs', 'cc', 1, 'cc:1'],
    ['[::1]:7052', undefined, '::1', 7052, '[::1]:7052'],
    ['grpc://[fe80::1]:65535', 'grpc', 'fe80::1', 65535, '[fe80::1]:65535'],
  ])('%s', (input, scheme, host, port, target) => {
    expect(parseAddress(input)).toEqual({ scheme, host, port, target });
  });

  it.each([
    ['', /must be set/],
    ['http://peer:7052', /http\(s\)/],
    ['https://peer:7052', /http\(s\)/],
    ['tcp://peer:7052', /unsupported scheme/],
    ['peer', /host>:<port/],
    [':7052', /host>:<port/],
    ['::1:7052', /host>:<port/],
    ['peer:', /invalid port/],
    ['peer:0', /outside/],
    ['peer:70000', /outside/],
    ['peer:12ab', /invalid port/],
    ['peer:7052/path', /invalid port/],
    ['[::1]7052', /ipv6/],
  ])('rejects %j', (input, message) => {
    expect(() => parseAddress(input)).toThrow(AddressError);
    expect(() => parseAddress(input)).toThrow(message);
  });

  it('formats host:port', () => {
    expect(formatHostPort('127.0.0.1', 1)).toBe('127.0.0.1:1');
    expect(formatHostPort('::', 2)).toBe('[::]:2');
    expect(formatHostPort('[::1]', 3)).toBe('[::1]:3');
  });
});

describe('health messages', () => {
  it('round-trips request and response', () => {
    expect(decodeHealthCheckRequest(encodeHealthCheckRequest(''))).toBe('');
    expect(decodeHealthCheckRequest(encodeHealthCheckRequest('protos.ChaincodeSupport'))).toBe('protos.ChaincodeSupport');
    expect(decodeHealthCheckRequest(encodeHealthCheckRequest('x'.repeat(300)))).toBe('x'.repeat(300));
    for (const s of [0, 1, 2, 3] as const) expect(decodeHealthCheckResponse(encodeHealthCheckResponse(s))).toBe(s);
  });

  it('skips unknown fields and rejects truncated input', () => {
    // field 2 varint 150, then field 1 "ab"
    expect(decodeHealthCheckRequest(Uint8Array.from([0x10, 0x96, 0x01, 0x0a, 0x02, 0x61, 0x62]))).toBe('ab');
    expect(() => decodeHealthCheckRequest(Uint8Array.from([0x0a, 0x05, 0x61]))).toThrow(/truncated/);
  });
});
