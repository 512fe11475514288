/**
 * The shape of the built start-up files, which decides how much a start has to read and
 * compile: the daemon must reach hyperd's spawn without loading the wire layer (the watchdog
 * loads it later), and a warm start runs two single files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { serverEntry } from "../server/mcp-client.ts";

/** Text found in the wire layer's connection code (its SCRAM authentication), kept by minifying. */
const WIRE_LAYER_MARKER = "SCRAM-SHA-256";

/** Relative files a built module imports: statically (`from "./x.js"`, `import "./x.js"`) or with `import()`. */
function relativeImports(source: string): { readonly static: string[]; readonly dynamic: string[] } {
  const dynamic = [...source.matchAll(/import\(\s*"(\.\/[^"]+)"\s*\)/g)].map((m) => m[1] as string);
  const all = [...source.matchAll(/(?:from|import)\s*"(\.\/[^"]+)"/g)].map((m) => m[1] as string);
  return { static: all, dynamic };
}

/** Every file loaded before `entry` runs: it and its static imports, transitively. */
function staticClosure(entry: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    const source = readFileSync(file, "utf8");
    files.set(file, source);
    for (const next of relativeImports(source).static) visit(join(dirname(file), next));
  };
  visit(entry);
  return files;
}

/**
 * Every file the daemon entry loads before the daemon runs: the entry (which turns on the compile
 * cache first) and, with their static imports, the modules it then imports.
 */
function daemonStartClosure(entry: string): Map<string, string> {
  const files = staticClosure(entry);
  for (const next of relativeImports(files.get(entry) as string).dynamic) {
    for (const [file, source] of staticClosure(join(dirname(entry), next))) files.set(file, source);
  }
  return files;
}

function wireLayerFiles(files: Map<string, string>): string[] {
  return [...files]
    .filter(([, source]) => source.includes(WIRE_LAYER_MARKER))
    .map(([file]) => basename(file));
}

/** Files that import `node:crypto` statically. */
function cryptoImporters(files: Map<string, string>): string[] {
  return [...files]
    .filter(([, source]) => /from\s*"(node:)?crypto"/.test(source))
    .map(([file]) => basename(file));
}

describe("built start-up files", () => {
  const dist = dirname(serverEntry());

  it("the daemon entry reaches hyperd's spawn without loading the wire layer", () => {
    const files = daemonStartClosure(join(dist, "daemon-entry.js"));
    expect(files.size).toBeGreaterThan(5);
    expect(wireLayerFiles(files)).toEqual([]);
  });

  it("the daemon entry loads no node:crypto before hyperd's spawn (a few milliseconds of its start)", () => {
    const files = daemonStartClosure(join(dist, "daemon-entry.js"));
    expect(cryptoImporters(files)).toEqual([]);
  });

  it("the server's start-up files load no node:crypto (the wire layer loads it for a password exchange only)", () => {
    const files = staticClosure(join(dist, "cli.js"));
    for (const [file, source] of staticClosure(join(dist, "serve-in-process.js"))) files.set(file, source);
    expect(wireLayerFiles(files).length).toBeGreaterThan(0);
    expect(cryptoImporters(files)).toEqual([]);
  });

  it("the SDK's ajv-based JSON Schema validator is not in the build (the server validates with zod)", () => {
    const built = readdirSync(dist).filter((file) => file.endsWith(".js"));
    expect(built.length).toBeGreaterThan(5);
    const withAjv = built.filter((file) => readFileSync(join(dist, file), "utf8").includes("ajv-formats"));
    expect(withAjv).toEqual([]);
  });

  it("the daemon started through the command loads no wire layer before hyperd's spawn", () => {
    const cli = readFileSync(join(dist, "cli.js"), "utf8");
    const daemonProcess = relativeImports(cli).dynamic.find((file) => file.startsWith("./daemon-process"));
    expect(daemonProcess).toBeDefined();
    const files = staticClosure(join(dist, daemonProcess as string));
    expect(files.size).toBeGreaterThan(5);
    expect(wireLayerFiles(files)).toEqual([]);
  });

  it("the server itself does load the wire layer (the marker is still in the build)", () => {
    const files = staticClosure(join(dist, "serve-in-process.js"));
    const lazily = [...files.values()].flatMap((source) => relativeImports(source).dynamic);
    const reachable = new Map(files);
    for (const file of lazily) for (const [f, s] of staticClosure(join(dist, file))) reachable.set(f, s);
    expect(wireLayerFiles(reachable).length).toBeGreaterThan(0);
  });

  it("a warm start runs two single files: the launcher and the stdio relay", () => {
    const launcher = relativeImports(readFileSync(serverEntry(), "utf8"));
    expect(launcher.static).toEqual([]);
    expect(launcher.dynamic).toEqual(["./stdio-relay.js", "./cli.js"]);
    const relay = relativeImports(readFileSync(join(dist, "stdio-relay.js"), "utf8"));
    expect(relay.static).toEqual([]);
  });
});
