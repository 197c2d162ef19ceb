/**
 * Building `common.Block`s as Fabric's orderer and committer leave them on a peer's ledger:
 *
 *   - header: number, previous_hash = SHA-256 of the previous header's ASN.1 DER encoding
 *     SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }
 *     (protoutil/blockutils.go BlockHeaderBytes / BlockHeaderHash), data_hash = SHA-256 of the
 *     concatenated envelopes (ComputeBlockDataHash);
 *   - metadata: one entry per BlockMetadataIndex (protoutil.NewBlock); SIGNATURES holds a
 *     common.Metadata whose value is an OrdererBlockMetadata (last config index) and one
 *     signature over value ‖ signature_header ‖ header bytes (orderer/common/multichannel
 *     blockwriter.go addBlockSignature); TRANSACTIONS_FILTER holds one validation code byte per
 *     transaction, written by the committer (core/committer/txvalidator).
 */
import { createHash } from 'node:crypto';
import { integer, octetString, sequence } from '../identity/der.js';
import { BlockMetadataIndex, encodeBlock, encodeMetadata, encodeOrdererBlockMetadata, type Block, type BlockHeader } from '../wire/index.js';
import { newSignatureHeader, type Signer } from './signer.js';

const METADATA_ENTRIES = Object.keys(BlockMetadataIndex).length;

export function blockHeaderBytes(h: BlockHeader): Uint8Array {
  return sequence(integer(BigInt(h.number)), octetString(h.previousHash), octetString(h.dataHash));
}

export function blockHeaderHash(h: BlockHeader): Uint8Array {
  return createHash('sha256').update(blockHeaderBytes(h)).digest();
}

export function blockDataHash(data: readonly Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const d of data) hash.update(d);
  return hash.digest();
}

/** An ordered block before validation: header and data fixed, metadata signed, no filter yet. */
export interface OrderedBlock {
  readonly header: BlockHeader;
  readonly data: readonly Uint8Array[];
  /** The serialized SIGNATURES metadata entry. */
  readonly signatures: Uint8Array;
}

/** What the orderer does when it cuts a batch: number, chain, hash and sign it. */
export function orderBlock(o: { number: number; previousHash: Uint8Array; data: readonly Uint8Array[]; lastConfig: number; signer: Signer }): OrderedBlock {
  const header: BlockHeader = { number: o.number, previousHash: o.previousHash, dataHash: blockDataHash(o.data) };
  const value = encodeOrdererBlockMetadata({ lastConfig: { index: o.lastConfig }, consenterMetadata: new Uint8Array(0) });
  const signatureHeader = newSignatureHeader(o.signer);
  const headerBytes = blockHeaderBytes(header);
  const signed = new Uint8Array(value.length + signatureHeader.length + headerBytes.length);
  signed.set(value, 0);
  signed.set(signatureHeader, value.length);
  signed.set(headerBytes, value.length + signatureHeader.length);
  const signatures = encodeMetadata({
    value,
    signatures: [{ signatureHeader, signature: o.signer.sign(signed), identifierHeader: new Uint8Array(0) }],
  });
  return { header, data: o.data, signatures };
}

/** The block as stored after validation: the committer's transaction filter in the metadata. */
export function committedBlock(ordered: OrderedBlock, codes: readonly number[]): Block {
  const metadata: Uint8Array[] = [];
  for (let i = 0; i < METADATA_ENTRIES; i++) metadata.push(new Uint8Array(0));
  metadata[BlockMetadataIndex.SIGNATURES] = ordered.signatures;
  metadata[BlockMetadataIndex.TRANSACTIONS_FILTER] = Uint8Array.from(codes);
  return { header: ordered.header, data: { data: [...ordered.data] }, metadata: { metadata } };
}

export function encodeCommittedBlock(ordered: OrderedBlock, codes: readonly number[]): Uint8Array {
  return encodeBlock(committedBlock(ordered, codes));
}
