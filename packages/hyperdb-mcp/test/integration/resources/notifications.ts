/**
 * Test helper: records the resource notifications a client receives.
 */
import type { ServerUnderTest } from "../server/mcp-client.ts";

/** The notifications received so far. */
export interface ResourceNotifications {
  /** URIs of `notifications/resources/updated`, in arrival order. */
  readonly updated: string[];
  /** How many `notifications/resources/list_changed` arrived. */
  listChanged: number;
  /** Forgets what was received. */
  clear(): void;
}

/** Starts recording resource notifications of `server`'s client. */
export function recordResourceNotifications(server: ServerUnderTest): ResourceNotifications {
  const record: ResourceNotifications = {
    updated: [],
    listChanged: 0,
    clear() {
      record.updated.length = 0;
      record.listChanged = 0;
    },
  };
  server.client.setNotificationHandler("notifications/resources/updated", (notification) => {
    record.updated.push(notification.params.uri);
  });
  server.client.setNotificationHandler("notifications/resources/list_changed", () => {
    record.listChanged += 1;
  });
  return record;
}
