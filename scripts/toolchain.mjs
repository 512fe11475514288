#!/usr/bin/env node
// Runs a workspace command with the toolchain this repository needs, starting from any
// Node >= 18 with npm. It must stay dependency-free and Node 18/20 compatible.
//
//   node scripts/toolchain.mjs pnpm <args…>   run pnpm (installing dependencies first)
//   node scripts/toolchain.mjs node <args…>   run the project's Node on a script
//
// When the running Node is older than the project's minimum, Node 24 is fetched from the
// npm registry (package node-<platform>-<arch>) into .toolchain/ and used instead.
// pnpm runs through npx at the version pinned in package.json's "packageManager".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const MIN_NODE = [22, 12, 0];
const BOOTSTRAP_NODE_VERSION = "24.21.0";
const toolchainDir = join(root, ".toolchain");

function log(message) {
  process.stderr.write(`[toolchain] ${message}\n`);
}

function versionAtLeast(version, minimum) {
  const parts = version.replace(/^v/, "").split(".").map(Number);
  for (let i = 0; i < minimum.length; i++) {
    if ((parts[i] ?? 0) !== minimum[i]) return (parts[i] ?? 0) > minimum[i];
  }
  return true;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function nodePackageName() {
  const platform = { linux: "linux", darwin: "darwin", win32: "win" }[process.platform];
  const arch = { x64: "x64", arm64: "arm64" }[process.arch];
  if (!platform || !arch) throw new Error(`no Node build on npm for ${process.platform}-${process.arch}`);
  return `node-${platform}-${arch}`;
}

/** Returns the path of a Node binary new enough for this project, fetching one if needed. */
function ensureNode() {
  if (versionAtLeast(process.versions.node, MIN_NODE)) return process.execPath;
  const installDir = join(toolchainDir, `node-v${BOOTSTRAP_NODE_VERSION}`);
  const binary = join(installDir, "bin", process.platform === "win32" ? "node.exe" : "node");
  if (existsSync(binary)) return binary;

  const pkg = `${nodePackageName()}@${BOOTSTRAP_NODE_VERSION}`;
  log(
    `Node ${process.versions.node} is older than ${MIN_NODE.join(".")}; fetching ${pkg} from the npm registry`,
  );
  const staging = join(toolchainDir, `staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const packed = spawnSync(npm, ["pack", pkg, "--silent", "--pack-destination", staging], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    shell: process.platform === "win32",
  });
  const tarball = packed.stdout?.trim().split(/\r?\n/).pop();
  if (packed.status !== 0 || !tarball) throw new Error(`npm pack ${pkg} failed`);
  if (run("tar", ["-xzf", join(staging, tarball), "-C", staging], { stdio: ["ignore", 2, 2] }) !== 0)
    throw new Error("extracting Node failed");
  rmSync(installDir, { recursive: true, force: true });
  renameSync(join(staging, "package"), installDir);
  rmSync(staging, { recursive: true, force: true });
  if (!existsSync(binary)) throw new Error(`${pkg} did not contain ${binary}`);
  return binary;
}

function pinnedPnpm() {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const match = /^pnpm@(\d+\.\d+\.\d+)/.exec(manifest.packageManager ?? "");
  if (!match) throw new Error('package.json needs "packageManager": "pnpm@<version>"');
  return match[1];
}

function toolchainEnv(nodeBinary) {
  const env = { ...process.env };
  const pathKey = Object.keys(env).find((key) => key.toUpperCase() === "PATH") ?? "PATH";
  env[pathKey] = `${dirname(nodeBinary)}${delimiter}${env[pathKey] ?? ""}`;
  // Silence corepack/npm chatter that would otherwise interleave with test output.
  env.npm_config_update_notifier = "false";
  env.npm_config_fund = "false";
  return env;
}

function pnpm(env, args, stdio = "inherit") {
  const npx = process.platform === "win32" ? "npx.cmd" : "npx";
  // --prefer-offline: once pnpm is in npm's cache, starting it needs no network. MCP clients
  // launch servers with a minimal environment (no proxy or CA settings), where a registry
  // request can hang instead of failing.
  return run(npx, ["--yes", "--prefer-offline", `pnpm@${pinnedPnpm()}`, ...args], {
    cwd: root,
    env,
    stdio,
    shell: process.platform === "win32",
  });
}

/** Installs dependencies unless node_modules already matches the lockfile. */
function ensureInstalled(env) {
  const lockfile = join(root, "pnpm-lock.yaml");
  const stamp = join(root, "node_modules", ".toolchain-lock-stamp");
  const wanted = existsSync(lockfile) ? readFileSync(lockfile, "utf8") : "";
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) return;
  // Install progress goes to stderr: stdout may belong to a protocol (the MCP server's stdio).
  const status = pnpm(env, ["install", "--frozen-lockfile", "--prefer-offline"], ["ignore", 2, 2]);
  if (status !== 0) process.exit(status);
  writeFileSync(stamp, wanted);
}

const [tool, ...args] = process.argv.slice(2);
try {
  const nodeBinary = ensureNode();
  const env = toolchainEnv(nodeBinary);
  if (tool === "pnpm") {
    if (args[0] !== "install") ensureInstalled(env);
    process.exit(pnpm(env, args));
  } else if (tool === "node") {
    ensureInstalled(env);
    process.exit(run(nodeBinary, args, { cwd: root, env }));
  } else {
    log("usage: node scripts/toolchain.mjs pnpm|node <args…>");
    process.exit(2);
  }
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
