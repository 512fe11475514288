import type { Duplex } from "node:stream";
import type { BackendKeyData } from "../protocol/backend-messages.ts";
import { FrontendWriter } from "../protocol/frontend-writer.ts";

/** How long to wait for the server to take a cancel request before giving up on it. */
const CANCEL_TIMEOUT_MS = 5_000;

/**
 * Sends a CancelRequest (process id and secret key of the session) on a fresh stream and
 * waits until the server closes it, which it does once the request is taken. Never throws:
 * a cancel that cannot be delivered is the same as a cancel that came too late.
 */
export async function sendCancelRequest(open: () => Promise<Duplex>, key: BackendKeyData): Promise<void> {
  let stream: Duplex;
  try {
    stream = await open();
  } catch {
    return;
  }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => stream.destroy(), CANCEL_TIMEOUT_MS);
    stream.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on("error", () => stream.destroy());
    stream.on("data", () => {});
    stream.end(new FrontendWriter().cancelRequest(key.processId, key.secretKey).flush());
  });
}
