/** Many concurrent streams on one listener, each echoing 100 frames in order. */
import { afterEach, describe, expect, it } from 'vitest';

import { dialChaincodeSupport, listenChaincodeSupport } from '../../src/transport/index.js';
import type { FrameStream } from '../../src/transport/index.js';
import { eventually, Recorder, Resources } from './helpers.js';

const res = new Resources();
afterEach(() => res.closeAll());

describe('load', () => {
  it('200 concurrent streams on one server, each echoing 100 frames, all complete in order', async () => {
    const serverStreams: FrameStream[] = [];
    const listener = res.listener(
      await listenChaincodeSupport({ host: '127.0.0.1', port: 0 }, (s) => {
        serverStreams.push(s);
        s.onFrame((f) => s.send(f));
      }),
    );
    const streams = 200;
    const framesPerStream = 100;
    const clients = await Promise.all(
      Array.from({ length: streams }, () => dialChaincodeSupport({ address: listener.address }).then((c) => res.stream(c))),
    );
    const recorders = clients.map((c) => new Recorder(c));
    clients.forEach((c, si) => {
      for (let i = 0; i < framesPerStream; i++) c.send(Buffer.from(`${si}:${i}`));
    });
    await Promise.all(recorders.map((r) => r.waitFrames(framesPerStream, 20_000)));
    recorders.forEach((r, si) => {
      expect(r.closes).toEqual([]);
      expect(r.texts()).toEqual(Array.from({ length: framesPerStream }, (_, i) => `${si}:${i}`));
    });
    expect(serverStreams.length).toBe(streams);
    expect(listener.activeStreams).toBe(streams);

    clients.forEach((c) => c.close());
    await eventually(() => listener.activeStreams === 0, 5_000, 'server streams to close');
    // Usually CANCELLED; under heavy load a cancel may be classified as EOF (see EOF_SETTLE_MS).
    for (const s of serverStreams) expect(['error', 'eof']).toContain(s.closeReason?.kind);
  }, 30_000);
});
