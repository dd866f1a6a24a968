import type { RememberedWorker } from "./state-file.js";
import type { WorkerDescription } from "./validation.js";

/** The orchestrator's view of a worker, as metrics label it. */
export type WorkerState = "up" | "down" | "draining";
export const WORKER_STATES: readonly WorkerState[] = ["up", "down", "draining"];

export type HeartbeatAction = "CONTINUE" | "REGISTER_AGAIN" | "DRAIN";

/** One known worker. */
export interface WorkerView extends WorkerDescription {
  state: WorkerState;
  /** Why it is DOWN; empty otherwise. */
  reason: string;
  /** Milliseconds since the epoch of the last registration or heartbeat. */
  lastSeenMs: number;
}

/** Where one rack of one type is served (one route per rack; one per worker for rackless types). */
export interface RouteView {
  type: string;
  rack: string;
  address: string;
  healthy: boolean;
  workerId: string;
}

export interface RoutingTable {
  revision: number;
  routes: RouteView[];
}

/** What the registry tells the rest of the orchestrator (metrics, logs, health checks, watchers). */
export interface RegistryEvents {
  registered?(worker: WorkerView): void;
  leaseExpired?(worker: WorkerView): void;
  stateChanged?(worker: WorkerView, from: WorkerState): void;
  removed?(worker: WorkerView, why: string): void;
  routesChanged?(table: RoutingTable): void;
  /** A registration or heartbeat: the worker is alive and talks to this orchestrator. */
  heardFrom?(worker: WorkerView): void;
  /** Workers came, went, stopped or were drained: what the state file keeps changed. */
  membershipChanged?(): void;
}

export interface RegistryOptions {
  leaseMs: number;
  /** Consecutive failed health checks that mark a worker DOWN. */
  healthFailures: number;
  /** The clock, in milliseconds; injectable so tests move time instead of sleeping. */
  now?: () => number;
  events?: RegistryEvents;
}

interface Entry extends WorkerDescription {
  /** Order of registration: for two workers of one rack, the newer one serves it. */
  sequence: number;
  lastSeenMs: number;
  leaseUntilMs: number;
  leaseLapsed: boolean;
  failedChecks: number;
  /** Set once `failedChecks` reaches the threshold; cleared by a passing check. */
  healthProblem: string | undefined;
  draining: boolean;
  /**
   * Set when a worker with a rack has stopped (deregistered, or went silent while drained): its
   * rack still holds data, so it stays known as DOWN, named missing, until it is served again or
   * an operator forgets it.
   */
  stopped: string | undefined;
  /** False for an entry restored from the state file until its worker is heard from. */
  confirmed: boolean;
}

/**
 * The registry of workers and the routing table derived from it. With a state file the workers
 * are restored at start (`restore`) and their heartbeats go on; without one it fills again from the
 * workers' next heartbeats (answered REGISTER_AGAIN) and registrations.
 *
 * A worker is UP while its lease is current and its health check passes, DOWN when either fails
 * (and UP again when both are fine), DRAINING once an operator drains it. A worker with a rack that
 * stops stays DOWN ("stopped") until a worker of its rack registers or an operator forgets it, so a
 * rack never vanishes from the table while its data is out of reach. The routing table has one
 * route per (type, rack): the newest UP worker of the rack, else the newest worker (unhealthy).
 * Workers without a rack are interchangeable and get one route each.
 */
export class WorkerRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly options: RegistryOptions;
  private readonly now: () => number;
  private readonly events: RegistryEvents;
  private sequence = 0;
  private revision = 1;
  private routesKey = "[]";

  constructor(options: RegistryOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.events = options.events ?? {};
  }

  get leaseMs(): number {
    return this.options.leaseMs;
  }

  /**
   * Adds a worker, or replaces the entry of the same id. An older worker of the same type at the
   * same address is removed: only one process can listen there, so that one is gone.
   */
  register(worker: WorkerDescription): WorkerView {
    const replaced = this.entries.get(worker.id);
    if (replaced) this.entries.delete(worker.id);
    for (const other of [...this.entries.values()]) {
      if (other.type === worker.type && other.address === worker.address) {
        this.entries.delete(other.id);
        this.events.removed?.(view(other, this.options), `replaced by ${worker.id} at the same address`);
      } else if (other.stopped !== undefined && other.type === worker.type && other.rack === worker.rack) {
        this.entries.delete(other.id);
        this.events.removed?.(view(other, this.options), `replaced by ${worker.id}: its rack is served again`);
      }
    }
    const now = this.now();
    const entry: Entry = {
      ...worker,
      sequence: ++this.sequence,
      lastSeenMs: now,
      leaseUntilMs: now + this.options.leaseMs,
      leaseLapsed: false,
      failedChecks: 0,
      healthProblem: undefined,
      draining: false,
      stopped: undefined,
      confirmed: true,
    };
    this.entries.set(worker.id, entry);
    const registered = view(entry, this.options);
    this.events.registered?.(registered);
    this.events.heardFrom?.(registered);
    this.events.membershipChanged?.();
    this.publish();
    return registered;
  }

  /**
   * Takes back the workers a previous run knew (see state-file.ts), each with a fresh lease and
   * not yet heard from: a live one heartbeats within its lease (its id is known, so it just goes
   * on), a dead one fails its health checks or lets the lease lapse, as any worker does.
   */
  restore(workers: readonly RememberedWorker[]): void {
    const now = this.now();
    for (const worker of workers) {
      const { id, type, rack, address, version } = worker;
      this.entries.set(id, {
        id,
        type,
        rack,
        address,
        version,
        sequence: ++this.sequence,
        // Not "now": it has not been heard from since the restart.
        lastSeenMs: worker.lastSeenMs ?? now,
        leaseUntilMs: now + this.options.leaseMs,
        leaseLapsed: false,
        failedChecks: 0,
        healthProblem: undefined,
        draining: worker.draining === true,
        stopped: rack === "" ? undefined : worker.stopped,
        confirmed: false,
      });
    }
    this.publish();
  }

  /** What the state file keeps: every worker, without leases or health. */
  snapshot(): RememberedWorker[] {
    return [...this.entries.values()].map(({ id, type, rack, address, version, lastSeenMs, stopped, draining }) => ({
      id,
      type,
      rack,
      address,
      version,
      lastSeenMs,
      ...(stopped !== undefined ? { stopped } : {}),
      ...(draining ? { draining } : {}),
    }));
  }

  /**
   * Restored workers that are UP and not yet heard from: while there are any, the table may still
   * change when they answer, so the warm-up goes on. One that fails its checks or lets its lease
   * lapse is no longer awaited: that is evidence too.
   */
  awaitingEvidence(): number {
    let count = 0;
    for (const entry of this.entries.values()) if (!entry.confirmed && stateOf(entry) === "up") count++;
    return count;
  }

  /** Renews the lease. An unknown id (the orchestrator restarted, or forgot it) must register again. */
  heartbeat(id: string): HeartbeatAction {
    const entry = this.entries.get(id);
    // A stopped entry is a record of a rack, not a live worker: a heartbeat does not revive it.
    if (!entry || entry.stopped !== undefined) return "REGISTER_AGAIN";
    this.change(entry, () => {
      const now = this.now();
      entry.lastSeenMs = now;
      entry.leaseUntilMs = now + this.options.leaseMs;
      entry.leaseLapsed = false;
      entry.confirmed = true;
    });
    this.events.heardFrom?.(view(entry, this.options));
    return entry.draining ? "DRAIN" : "CONTINUE";
  }

  /**
   * A worker that leaves: removed when it has no rack; kept as DOWN ("stopped") when it has one.
   * False when it was not known (leaving twice is fine).
   */
  deregister(id: string): boolean {
    return this.leave(id, "stopped cleanly (deregistered)");
  }

  /** Removes a worker at once, whatever its state; false when it was not known. */
  forget(id: string): boolean {
    return this.remove(id, "forgotten by an operator");
  }

  /** Takes a worker out of routing; its next heartbeat tells it to stop. Undefined when unknown. */
  drain(id: string): WorkerView | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.change(entry, () => (entry.draining = true));
    this.events.membershipChanged?.();
    return view(entry, this.options);
  }

  /**
   * Marks DOWN every worker whose lease has lapsed. A draining worker whose lease lapses has
   * stopped (or died while stopping): the drain is over and it is removed.
   */
  expireLeases(): void {
    const now = this.now();
    for (const entry of [...this.entries.values()]) {
      if (entry.stopped !== undefined || entry.leaseLapsed || now <= entry.leaseUntilMs) continue;
      this.change(entry, () => (entry.leaseLapsed = true));
      this.events.leaseExpired?.(view(entry, this.options));
      if (entry.draining) this.leave(entry.id, "drained and silent for a lease");
    }
  }

  /**
   * Records one health check of the worker at `address` (a result for an entry that has since
   * moved is ignored). DOWN after `healthFailures` failures in a row; UP again at the first pass.
   */
  recordHealth(id: string, address: string, problem: string | undefined): void {
    const entry = this.entries.get(id);
    if (!entry || entry.address !== address) return;
    this.change(entry, () => {
      if (problem === undefined) {
        entry.failedChecks = 0;
        entry.healthProblem = undefined;
      } else {
        entry.failedChecks++;
        if (entry.failedChecks >= this.options.healthFailures) entry.healthProblem = problem;
      }
    });
  }

  get(id: string): WorkerView | undefined {
    const entry = this.entries.get(id);
    return entry && view(entry, this.options);
  }

  /** Every known worker (of one type when given), ordered by type, rack and id. */
  list(type = ""): WorkerView[] {
    return [...this.entries.values()]
      .filter((entry) => type === "" || entry.type === type)
      .sort((a, b) => compareKeys([a.type, a.rack, a.id], [b.type, b.rack, b.id]))
      .map((entry) => view(entry, this.options));
  }

  /** Workers the health checker should probe: all but those being drained or stopped. */
  checkTargets(): Array<{ id: string; address: string }> {
    return [...this.entries.values()].filter((entry) => !entry.draining && entry.stopped === undefined).map(({ id, address }) => ({ id, address }));
  }

  /** The routing table (of one type when given), ordered by type, rack and worker id. */
  table(type = ""): RoutingTable {
    return { revision: this.revision, routes: this.computeRoutes().filter((route) => type === "" || route.type === type) };
  }

  private computeRoutes(): RouteView[] {
    const serving = new Map<string, Entry>();
    const rackless: Entry[] = [];
    for (const entry of this.entries.values()) {
      if (entry.rack === "") {
        rackless.push(entry);
        continue;
      }
      const key = `${entry.type}\n${entry.rack}`;
      const current = serving.get(key);
      if (!current || servesBefore(entry, current)) serving.set(key, entry);
    }
    return [...serving.values(), ...rackless]
      .map((entry) => ({
        type: entry.type,
        rack: entry.rack,
        address: entry.address,
        healthy: stateOf(entry) === "up",
        workerId: entry.id,
      }))
      .sort((a, b) => compareKeys([a.type, a.rack, a.workerId], [b.type, b.rack, b.workerId]));
  }

  /** A worker that stopped: a rackless one is removed, one with a rack is kept as stopped. */
  private leave(id: string, why: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    if (entry.rack === "") return this.remove(id, why);
    // The state change (to DOWN, with the reason) is what the log and the metrics see.
    if (entry.stopped === undefined) {
      this.change(entry, () => {
        entry.stopped = why;
        entry.draining = false;
      });
      this.events.membershipChanged?.();
    }
    return true;
  }

  private remove(id: string, why: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
    this.events.removed?.(view(entry, this.options), why);
    this.events.membershipChanged?.();
    this.publish();
    return true;
  }

  /** Applies a change to one entry, reports a change of its state, and publishes the table if it changed. */
  private change(entry: Entry, apply: () => void): void {
    const before = stateOf(entry);
    apply();
    const after = stateOf(entry);
    if (after !== before) this.events.stateChanged?.(view(entry, this.options), before);
    this.publish();
  }

  /** A new revision only when the routes really changed: heartbeats alone do not make one. */
  private publish(): void {
    const routes = this.computeRoutes();
    const key = JSON.stringify(routes);
    if (key === this.routesKey) return;
    this.routesKey = key;
    this.revision++;
    this.events.routesChanged?.({ revision: this.revision, routes });
  }
}

function stateOf(entry: Entry): WorkerState {
  if (entry.stopped !== undefined) return "down";
  if (entry.draining) return "draining";
  return entry.leaseLapsed || entry.healthProblem !== undefined ? "down" : "up";
}

function reasonOf(entry: Entry, options: RegistryOptions): string {
  if (stateOf(entry) !== "down") return "";
  if (entry.stopped !== undefined) return entry.stopped;
  const reasons: string[] = [];
  if (entry.leaseLapsed) reasons.push(`no heartbeat within the ${options.leaseMs / 1000} s lease`);
  if (entry.healthProblem !== undefined) reasons.push(`health check failed: ${entry.healthProblem}`);
  return reasons.join("; ");
}

function view(entry: Entry, options: RegistryOptions): WorkerView {
  const { id, type, rack, address, version, lastSeenMs } = entry;
  return { id, type, rack, address, version, lastSeenMs, state: stateOf(entry), reason: reasonOf(entry, options) };
}

/** True when `a` should serve the rack rather than `b`: UP beats not UP, then the newer registration. */
function servesBefore(a: Entry, b: Entry): boolean {
  const aUp = stateOf(a) === "up";
  const bUp = stateOf(b) === "up";
  if (aUp !== bUp) return aUp;
  return a.sequence > b.sequence;
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
