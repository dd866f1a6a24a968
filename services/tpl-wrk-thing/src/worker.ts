import { readdirSync } from "node:fs";
import { join } from "node:path";
import type * as grpc from "@grpc/grpc-js";
import { BaseWorker, serviceNameOf, type WorkerOptions } from "@bookstore/wrk-base";
import { readThingSettings, resolveRack } from "./data-dir.js";
import { registerThingGauge } from "./metrics.js";
import { ThingStore, type SchemaExtension } from "./store.js";
import { THING_SERVICE, thingServiceHandlers, type ThingPolicy } from "./thing-service.js";
import type { StoredThing, ThingContent } from "./thing.js";

/**
 * A worker that stores things in its rack: the template every thing worker extends.
 *
 * Run as it is, it stores things of any type. A subclass narrows and enriches it through the hooks:
 * `thingTypes` (the types it accepts), `validateThing` (its rules for a thing's tags and info),
 * `schemaExtension` (its indexes, tables and SQL functions) and, as for any worker, `addServices`
 * (its typed service beside the ThingService: give it `this.store` and `this.policy`).
 *
 * The store is opened by whichever comes first, `onInit` at start or the first use of `store`,
 * so no hook depends on another having run before it.
 */
export class ThingWorker extends BaseWorker {
  /** Where the rack's database (and, without RACK_ID, the rack's name) is kept. */
  readonly dataDir: string;
  private readonly configuredRack: string | undefined;
  private thingStore: ThingStore | undefined;
  private storeClosed = false;

  constructor(options: WorkerOptions) {
    super(options);
    const settings = readThingSettings(this.env, serviceNameOf(options));
    this.dataDir = settings.dataDir;
    this.configuredRack = settings.rackId;
  }

  /** The open store of this worker's rack, opened at its first use (at the latest in `onInit`), until `onStop`. */
  protected get store(): ThingStore {
    if (this.storeClosed) throw new Error("the thing store is closed: the worker has stopped");
    this.thingStore ??= this.openStore();
    return this.thingStore;
  }

  // ---- hooks for subclasses ----

  /** The thing types this worker accepts; empty: any. */
  protected thingTypes(): readonly string[] {
    return [];
  }

  /**
   * Checks and normalizes a thing before it is stored (registration and update alike). Throw
   * `invalidArgument("info.<field>", problem)` to refuse it. The generic worker accepts any info.
   */
  protected validateThing(content: ThingContent, _previous: StoredThing | undefined): ThingContent {
    return content;
  }

  /** Indexes, tables, triggers and SQL functions this worker adds to its store. */
  protected schemaExtension(): SchemaExtension {
    return {};
  }

  // ---- BaseWorker hooks ----

  protected override async onInit(): Promise<void> {
    await super.onInit();
    // Opened here at the latest, so a store that cannot open stops the start before any port binds.
    void this.store;
  }

  /** Resolves the rack, opens its store and counts its things; once, from the `store` getter. */
  private openStore(): ThingStore {
    this.rack = resolveRack(this.dataDir, this.configuredRack);
    const path = join(this.dataDir, `${this.rack}.sqlite`);
    const store = ThingStore.open({ path, rack: this.rack, extension: this.schemaExtension() });
    registerThingGauge(this.registry, this.rack, () => (store.isOpen ? store.countByType() : []));
    this.log.info({ rack: this.rack, path }, "thing store open");
    const otherRacks = otherRackFiles(this.dataDir, this.rack);
    if (otherRacks.length > 0) {
      // Data of another rack is not served by this worker: usually RACK_ID changed on a kept DATA_DIR.
      this.log.warn({ dataDir: this.dataDir, rack: this.rack, otherRacks }, "DATA_DIR holds other racks' files, which this worker does not serve");
    }
    return store;
  }

  /** The hooks `thingTypes` and `validateThing` as one policy: give it to every service that writes things. */
  protected get policy(): ThingPolicy {
    return { types: this.thingTypes(), validate: (content, previous) => this.validateThing(content, previous) };
  }

  protected override addServices(server: grpc.Server): string[] {
    const names = super.addServices(server);
    server.addService(this.contracts.thing.ThingService.service, thingServiceHandlers(this.store, this.policy, this.log));
    return [...names, THING_SERVICE];
  }

  protected override isReady(): boolean {
    return this.thingStore?.isOpen === true && super.isReady();
  }

  protected override async onStop(): Promise<void> {
    // Runs after the last call has ended, so no statement is cut in the middle.
    this.storeClosed = true;
    this.thingStore?.close();
    await super.onStop();
  }
}

/** Racks whose database files lie in `dataDir` besides `rack`'s own. */
function otherRackFiles(dataDir: string, rack: string): string[] {
  return readdirSync(dataDir)
    .filter((name) => name.endsWith(".sqlite") && name !== `${rack}.sqlite`)
    .map((name) => name.slice(0, -".sqlite".length))
    .sort();
}
