// Benchmark chaincode on ccproto's runtime for npm run bench:soak: a mix of writes with events,
// point reads and short range queries, so a long run touches every part of the peer that could keep
// something per transaction (simulations, iterators, events, commits, history).
import { start, success, type ChaincodeStub } from '../../src/chaincode/index.js';

void start({
  async Init() {
    return success();
  },
  async Invoke(stub: ChaincodeStub) {
    const [fn, key = 'k', arg = ''] = stub.getStringArgs();
    switch (fn) {
      case 'put':
        await stub.putState(key, Buffer.from(arg));
        stub.setEvent('put', Buffer.from(key));
        return success();
      case 'get':
        return success((await stub.getState(key)) ?? Buffer.alloc(0));
      case 'range': {
        // KEY..ARG, at most 20 entries: the iterator is closed before the transaction ends.
        let n = 0;
        const it = await stub.getStateByRange(key, arg);
        for (let r = await it.next(); !r.done && n < 20; r = await it.next()) n++;
        await it.close();
        return success(Buffer.from(String(n)));
      }
      default:
        return { status: 500, message: `unknown function ${fn}`, payload: Buffer.alloc(0) };
    }
  },
});
