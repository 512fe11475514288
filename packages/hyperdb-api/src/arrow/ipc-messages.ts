import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import { type DataType, type Field, Message, type MessageHeader } from "apache-arrow";

/** One encapsulated message of an Arrow IPC stream. */
export interface IpcMessage {
  readonly headerType: MessageHeader;
  /** The decoded metadata (schema, record batch or dictionary batch header); the body is not decoded. */
  readonly message: Message;
  /** The whole message: length prefix, metadata and body, ready to be sent on as is. */
  readonly bytes: Uint8Array;
}

/** The marker that starts every message of the current IPC format (a length follows). */
const CONTINUATION = 0xffff_ffff;
/** `ARROW1`: the magic of the IPC *file* format. */
const FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];

/**
 * Splits an Arrow IPC *stream* into its messages, up to the end-of-stream marker (or the end
 * of the bytes when the marker is missing). Accepts the current framing (continuation marker +
 * length) and the pre-1.0 one (length only). Bodies are not decoded or copied: the messages
 * are views into `bytes`.
 * @throws InvalidArgumentError for an IPC file (not a stream), truncated data, or anything
 *   after the end-of-stream marker (hyperd would silently drop it).
 */
export function splitIpcStream(bytes: Uint8Array): IpcMessage[] {
  if (FILE_MAGIC.every((byte, index) => bytes[index] === byte)) {
    throw new InvalidArgumentError(
      "these bytes are an Arrow IPC file, not a stream; read them with tableFromIPC and use insertTable",
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const messages: IpcMessage[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const start = offset;
    if (offset + 4 > bytes.length) throw truncated(offset);
    let metadataLength = view.getInt32(offset, true);
    offset += 4;
    if (metadataLength === -1 && view.getUint32(start, true) === CONTINUATION) {
      if (offset + 4 > bytes.length) throw truncated(start);
      metadataLength = view.getInt32(offset, true);
      offset += 4;
    }
    if (metadataLength === 0) {
      if (offset < bytes.length) {
        throw new InvalidArgumentError(
          `the Arrow IPC stream has ${bytes.length - offset} bytes after its end-of-stream marker; pass one stream per call`,
        );
      }
      break;
    }
    if (metadataLength < 0 || offset + metadataLength > bytes.length) throw truncated(start);
    let message: Message;
    try {
      message = Message.decode(bytes.subarray(offset, offset + metadataLength));
    } catch (error) {
      throw new InvalidArgumentError(`unreadable Arrow IPC message at byte ${start}`, { cause: error });
    }
    offset += metadataLength;
    const end = offset + message.bodyLength;
    if (end > bytes.length) throw truncated(start);
    offset = end;
    messages.push({ headerType: message.headerType, message, bytes: bytes.subarray(start, end) });
  }
  return messages;
}

function truncated(offset: number): InvalidArgumentError {
  return new InvalidArgumentError(`the Arrow IPC stream is truncated (message at byte ${offset})`);
}

/**
 * The null count of each top-level field in a record batch message, read from its metadata
 * (the body is not decoded).
 */
export function fieldNullCounts(message: Message, fields: readonly Field[]): number[] {
  const nodes = (message.header() as unknown as { readonly nodes: readonly { readonly nullCount: number }[] })
    .nodes;
  const counts: number[] = [];
  let node = 0;
  for (const field of fields) {
    counts.push(nodes[node]?.nullCount ?? 0);
    node += nodeCount(field.type);
  }
  return counts;
}

/** Field nodes a column of this type takes in a record batch: one, plus those of its children. */
function nodeCount(type: DataType): number {
  const children = (type.children as readonly Field[] | null | undefined) ?? [];
  return children.reduce((total, child) => total + nodeCount(child.type), 1);
}
