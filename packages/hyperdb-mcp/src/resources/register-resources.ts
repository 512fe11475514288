/**
 * Registers the `hyper://` resources on a server: `resources/list`, `resources/templates/list`,
 * `resources/read`, `resources/subscribe` and `resources/unsubscribe`, with the capability
 * `resources: { subscribe: true, listChanged: true }`, and follows the session's table changes
 * to notify subscribers.
 *
 * The handlers are set on the underlying protocol server rather than through
 * `McpServer.registerResource`: the resource set is dynamic (one family per table and per saved
 * query, listed in one sorted list), names are not percent-encoded (the SDK's template matching
 * works on `URL`-normalised addresses, which would encode a table named `My Sales`), an unknown
 * address must be the JSON-RPC error -32602 "Unknown resource URI: <uri>", and `McpServer` has
 * no subscription handling.
 *
 * @module
 */
import { type McpServer, ProtocolError, ProtocolErrorCode } from "@modelcontextprotocol/server";
import { savedQueryStoreFor } from "../saved-queries/saved-query-store-for.ts";
import type { ToolContext } from "../tools/tool-context.ts";
import { listResources, RESOURCE_TEMPLATES } from "./list-resources.ts";
import { readResourceText } from "./read-resource.ts";
import { ResourceNotifier } from "./resource-notifier.ts";
import { parseResourceUri } from "./resource-uris.ts";

/** Registers the resources; returns the session's notifier (tools report saved-query changes to it). */
export function registerResources(server: McpServer, context: ToolContext): ResourceNotifier {
  const protocol = server.server;
  const savedQueries = savedQueryStoreFor(context.engine);
  const notifier = new ResourceNotifier(server, context.log);
  protocol.registerCapabilities({ resources: { subscribe: true, listChanged: true } });

  protocol.setRequestHandler("resources/list", async () => ({
    resources: await listResources(context, savedQueries),
  }));
  protocol.setRequestHandler("resources/templates/list", () => ({
    resourceTemplates: [...RESOURCE_TEMPLATES],
  }));
  protocol.setRequestHandler("resources/read", async (request, ctx) => {
    const uri = request.params.uri;
    const address = parseResourceUri(uri);
    if (address === undefined) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown resource URI: ${uri}`);
    }
    const body = await readResourceText({ context, savedQueries }, address, ctx.mcpReq.signal);
    return { contents: [{ uri, mimeType: body.mimeType, text: body.text }] };
  });
  protocol.setRequestHandler("resources/subscribe", (request) => {
    notifier.subscribe(request.params.uri);
    return {};
  });
  protocol.setRequestHandler("resources/unsubscribe", (request) => {
    notifier.unsubscribe(request.params.uri);
    return {};
  });

  context.events.subscribe((change) => notifier.tablesChanged(change));
  return notifier;
}
