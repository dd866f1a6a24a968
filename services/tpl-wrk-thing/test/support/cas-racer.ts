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
  /** 0 until the test lets both threads go, so that they start together. */
  start: SharedArrayBuffer;
}

const race = workerData as Race;
const store = ThingStore.open({ path: race.path, rack: "rack-a", busyTimeoutMs: 20_000 });
parentPort?.postMessage({ ready: true });
Atomics.wait(new Int32Array(race.start), 0, 0);
let stale = 0;
try {
  for (let done = 0; done < race.increments; ) {
    const read = store.get(race.id);
    if (!read) throw new Error(`thing ${race.id} is gone`);
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
