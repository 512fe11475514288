/**
 * Finding a daemon of this user: classifying health ports and reading `daemon.json`.
 *
 * Compared with {@link inspectPort} this knows two more things. A daemon that answers our PONG
 * but not yet STATUS is *starting* (it holds the port lock while its hyperd boots): clients wait
 * for it instead of spawning a second daemon on the next port. And a daemon of ours that
 * publishes another state directory (another user, or an isolated test) is not adopted: its
 * hyperd is not ours to use. Nor is a health port held by another user (loopback ports are shared
 * by every user of the machine, and anyone can copy our PONG and STATUS replies): on Linux the
 * owner of the listening socket is checked in /proc/net/tcp{,6}.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { errorMessage } from "../error-message.ts";
import { type DaemonInfo, parseDaemonInfoJson } from "./daemon-info.ts";
import { readDaemonFile, removeDaemonFile } from "./discovery-file.ts";
import {
  type HealthSession,
  isConnectionRefused,
  openHealthSession,
  PROBE_TIMEOUT_MS,
} from "./health-client.ts";
import { HealthCommand, parsePong } from "./health-protocol.ts";
import type { PortRange } from "./port-scan.ts";
import { isProcessAlive } from "./process-alive.ts";

/** What answers on one health port. */
export type DaemonProbe =
  /** Our daemon for this state directory, serving. */
  | { readonly kind: "ready"; readonly port: number; readonly info: DaemonInfo; readonly version: string }
  /** Our daemon, still starting its hyperd (PONG ok, STATUS not yet). */
  | { readonly kind: "starting"; readonly port: number }
  /** Nothing listens. */
  | { readonly kind: "free"; readonly port: number }
  /**
   * Something else. `definite` when it surely is not a usable daemon of ours (another program, the
   * upstream daemon, our daemon for another state directory); not definite after a timeout.
   */
  | { readonly kind: "other"; readonly port: number; readonly reason: string; readonly definite: boolean };

/** Options of the probes. */
export interface LocateOptions {
  /** The state directory whose daemon is wanted. */
  readonly stateDir: string;
  /** Connect/reply timeout of each probe; default {@link PROBE_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Ports never to report as usable (daemons this client just asked to stop). */
  readonly avoid?: ReadonlySet<number>;
  /** Accept our daemon whatever state directory it publishes (to stop or watch it, not to use it). */
  readonly anyStateDir?: boolean;
}

/** Classifies one port. Never throws for network outcomes. */
export async function probeDaemon(port: number, options: LocateOptions): Promise<DaemonProbe> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  if (options.avoid?.has(port) === true) {
    return { kind: "other", port, reason: "a daemon this client asked to stop", definite: false };
  }
  let session: HealthSession;
  try {
    session = await openHealthSession(port, { connectTimeoutMs: timeoutMs, readTimeoutMs: timeoutMs });
  } catch (error) {
    if (isConnectionRefused(error)) {
      return { kind: "free", port };
    }
    return { kind: "other", port, reason: `connect failed: ${errorMessage(error)}`, definite: false };
  }
  try {
    let pong: ReturnType<typeof parsePong>;
    try {
      pong = parsePong(await session.send(HealthCommand.ping));
    } catch (error) {
      return { kind: "other", port, reason: `no PING reply: ${errorMessage(error)}`, definite: false };
    }
    if (pong === undefined) {
      return { kind: "other", port, reason: "PING reply does not carry our identity", definite: true };
    }
    const owner = await foreignListenerUid(port);
    if (owner !== undefined) {
      return {
        kind: "other",
        port,
        reason: `the port is held by another user (uid ${owner})`,
        definite: true,
      };
    }
    let info: DaemonInfo | undefined;
    try {
      info = parseDaemonInfoJson(await session.send(HealthCommand.status));
    } catch {
      info = undefined;
    }
    if (info === undefined) {
      return { kind: "starting", port };
    }
    if (options.anyStateDir !== true && info.identity.state_dir !== options.stateDir) {
      return {
        kind: "other",
        port,
        reason: `a daemon for another state directory (${info.identity.state_dir})`,
        definite: true,
      };
    }
    return { kind: "ready", port, info, version: pong.version };
  } finally {
    session.close();
  }
}

/**
 * The uid owning a listening TCP socket on `port` when that is not this process's uid; `undefined`
 * when it is ours or cannot be told (no /proc, no uids: not Linux).
 */
export async function foreignListenerUid(port: number): Promise<number | undefined> {
  const ownUid = process.getuid?.();
  if (ownUid === undefined || process.platform !== "linux") {
    return undefined;
  }
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = await readFile(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid ...
      const fields = line.trim().split(/\s+/);
      const localPort = Number.parseInt(fields[1]?.split(":")[1] ?? "", 16);
      const uid = Number(fields[7]);
      if (fields[3] === "0A" && localPort === port && Number.isInteger(uid) && uid !== ownUid) {
        return uid;
      }
    }
  }
  return undefined;
}

/** Outcome of {@link locateDaemon}. */
export type LocateResult =
  | Extract<DaemonProbe, { kind: "ready" | "starting" }>
  | { readonly kind: "free"; readonly port: number }
  /**
   * No port is free or ours. `definite`: every port is known to be held by something else; when
   * false, some port only did not answer in time (a busy machine), so a later look may differ.
   */
  | { readonly kind: "all-occupied"; readonly definite: boolean };

/** A daemon process the caller spawned itself, on health port `port`. */
export interface OwnSpawn {
  readonly pid: number;
  readonly port: number;
}

/**
 * Looks for the daemon: first the one `daemon.json` names (a claim confirmed by probing; a file
 * is deleted as stale only when something definitely not our daemon, or nothing, answers there),
 * then every port of `range` at once, lowest first: a ready or starting daemon wins over a free
 * port, a free port over nothing.
 *
 * A claim by `ownSpawn` (same pid and port, this state folder, the process still running) is
 * taken without probing: the file lies in this user's private state folder, and that process
 * binds the health port before it starts hyperd and publishes only once hyperd is up. On a cold
 * start that saves the client the probe's round trips, each of which waits behind the server's
 * own start-up work on this process's event loop. For the same reason, while there is no
 * `daemon.json` yet and that process still runs, it is reported starting without a probe: it
 * either publishes the file (the caller's file watch wakes it) or exits having lost the bind (the
 * next look, without it, scans the ports).
 */
export async function locateDaemon(
  range: PortRange,
  options: LocateOptions,
  ownSpawn?: OwnSpawn,
): Promise<LocateResult> {
  let claim: DaemonInfo | null;
  try {
    claim = await readDaemonFile(options.stateDir);
  } catch {
    claim = null;
  }
  if (claim !== null && options.avoid?.has(claim.health_port) !== true) {
    if (
      claim.pid === ownSpawn?.pid &&
      claim.health_port === ownSpawn.port &&
      claim.identity.state_dir === options.stateDir &&
      isProcessAlive(claim.pid)
    ) {
      return { kind: "ready", port: claim.health_port, info: claim, version: claim.version };
    }
    const probe = await probeDaemon(claim.health_port, options);
    if (probe.kind === "ready" || probe.kind === "starting") {
      return probe;
    }
    if (probe.kind === "free" || probe.definite) {
      await removeDaemonFile(options.stateDir, { ifPid: claim.pid }).catch(() => false);
    }
  }
  if (claim === null && ownSpawn !== undefined && isProcessAlive(ownSpawn.pid)) {
    return { kind: "starting", port: ownSpawn.port };
  }
  return await scanForDaemon(range, options);
}

/** Probes every port of `range` concurrently and decides in port order (see {@link locateDaemon}). */
export async function scanForDaemon(range: PortRange, options: LocateOptions): Promise<LocateResult> {
  const ports = Array.from({ length: range.span }, (_, index) => range.base + index);
  const probes = await Promise.all(ports.map((port) => probeDaemon(port, options)));
  const daemon = probes.find((probe) => probe.kind === "ready" || probe.kind === "starting");
  if (daemon !== undefined && (daemon.kind === "ready" || daemon.kind === "starting")) {
    return daemon;
  }
  const free = probes.find((probe) => probe.kind === "free");
  if (free !== undefined) return { kind: "free", port: free.port };
  return {
    kind: "all-occupied",
    definite: probes.every((probe) => probe.kind === "other" && probe.definite),
  };
}
