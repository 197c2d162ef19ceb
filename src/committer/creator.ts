/**
 * Who signed something, as the channel's MSPs see it: the creator of a proposal or envelope, the
 * signer of a Gateway request, an endorser. The SerializedIdentity must decode and validate under a
 * declared MSP (mspmgrimpl.go DeserializeIdentity + Validate); `signedBy` also checks the signature.
 */
import type { MspIdentity, MspManager } from '../identity/index.js';
import { decodeSerializedIdentity } from '../wire/index.js';

export function identityOf(msps: MspManager, serialized: Uint8Array): MspIdentity | undefined {
  const id = decodeSerializedIdentity(serialized);
  if (!id.ok) return undefined;
  const r = msps.deserializeIdentity({ mspid: id.value.mspid, idBytes: id.value.idBytes });
  return r.ok ? r.identity : undefined;
}

export function signedBy(msps: MspManager, serialized: Uint8Array, data: Uint8Array, signature: Uint8Array): MspIdentity | undefined {
  const id = identityOf(msps, serialized);
  return id && msps.verify(id, data, signature) ? id : undefined;
}

/** A member of its organisation's Writers: an admin or a client (the test network's configtx.yaml). */
export function isWriter(msps: MspManager, id: MspIdentity): boolean {
  return (['admin', 'client'] as const).some((role) => msps.satisfiesPrincipal(id, { mspId: id.mspId, role }).ok);
}
