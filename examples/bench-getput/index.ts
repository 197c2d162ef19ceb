// Benchmark chaincode on ccproto's runtime (npm run bench:chaincode): one getState and one putState per
// transaction, plus 1,000-write transactions with and without write batching.
import { start, success, type ChaincodeStub } from '../../src/chaincode/index.js';

const value = Buffer.from('x'.repeat(64));

void start({
  async Init() {
    return success();
  },
  async Invoke(stub: ChaincodeStub) {
    const [fn, key = 'k', v = ''] = stub.getStringArgs();
    if (fn === 'put1000' || fn === 'put1000batch') {
      if (fn === 'put1000batch') stub.startWriteBatch();
      for (let i = 0; i < 1000; i++) await stub.putState(`${key}-${i}`, value);
      // The batch is flushed when Invoke returns, before COMPLETED (as the Go shim does).
      return success();
    }
    await stub.getState(key);
    await stub.putState(key, Buffer.from(v));
    return success();
  },
});
