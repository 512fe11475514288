export {
  connectSocket,
  DEFAULT_SOCKET_OPTIONS,
  enableKeepAlive,
  type SocketOptions,
} from "./connect-socket.ts";
export { type Endpoint, formatEndpoint, parseEndpoint } from "./endpoint.ts";
