/// <reference path="../../../../../config/vitest/provided-context.d.ts" />
import { existsSync } from "node:fs";
import { expect, inject, it } from "vitest";
import { canConnect, isAlive } from "./helpers.ts";

it("the global setup provides one running hyperd on TCP and a Unix socket", async () => {
  const hyperd = inject("hyperd");
  expect(isAlive(hyperd.pid)).toBe(true);
  expect(await canConnect({ host: hyperd.host, port: hyperd.port })).toBe(true);
  expect(existsSync(hyperd.logDir)).toBe(true);
  if (process.platform === "win32") {
    expect(hyperd.socketPath).toBeNull();
  } else {
    expect(hyperd.socketPath).not.toBeNull();
    expect(await canConnect({ path: hyperd.socketPath ?? "" })).toBe(true);
  }
});
