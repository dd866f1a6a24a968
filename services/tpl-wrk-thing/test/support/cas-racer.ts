// One side of the store's compare-and-set race (store.test.ts): a thread with its own connection
// to the file, as a second process would have, that adds 1 to `info.n` `increments` times, each
// time computing the new value from a read made before the write, with that read's version as the
// expected one, and reads again when the write is refused as stale.
import { parentPort, workerData } from "node:worker_threads";
import * as grpc from "@grpc/grpc-js";
import { ThingStore } from "../../src/store.js";

interface Race {
  path: string;
  id: string;
  increments: number;
  /**
   * Two 32-bit slots: [0] is 0 until the test lets both threads go; [1] counts the threads that
   * made their first read. Both first reads are made before either thread writes, so at least one
   * write is stale whatever the scheduler does (an idle machine may otherwise run one thread's 60
   * increments before the other starts).
   */
  start: SharedArrayBuffer;
}

const race = workerData as Race;
const store = ThingStore.open({ path: race.path, rack: "rack-a", busyTimeoutMs: 20_000 });
parentPort?.postMessage({ ready: true });
const shared = new Int32Array(race.start);
Atomics.wait(shared, 0, 0);
let stale = 0;
let firstRead = true;
try {
  for (let done = 0; done < race.increments; ) {
    const read = store.get(race.id);
    if (!read) throw new Error(`thing ${race.id} is gone`);
    if (firstRead) {
      firstRead = false;
      Atomics.add(shared, 1, 1);
      Atomics.notify(shared, 1);
      for (let seen = Atomics.load(shared, 1); seen < 2; seen = Atomics.load(shared, 1)) Atomics.wait(shared, 1, seen, 10_000);
    }
    try {
      store.update(race.id, read.version, () => ({ tags: read.tags, info: { n: (read.info.n as number) + 1 } }));
      done++;
    } catch (error) {
      if ((error as { code?: grpc.status }).code !== grpc.status.ABORTED) throw error;
      stale++;
    }
  }
} finally {
  store.close();
}
parentPort?.postMessage({ stale });
