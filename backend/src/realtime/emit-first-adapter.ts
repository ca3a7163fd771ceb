import {
  Adapter,
  MessageType,
  type BroadcastOptions,
  type ClusterAdapter,
} from 'socket.io-adapter';
import type { Namespace, ServerOptions } from 'socket.io';

type AdapterFactory = (nsp: Namespace) => Adapter;
interface Packet {
  type?: number;
  id?: number;
  data?: unknown[];
}
/** ClusterAdapter's protected publish: the XADD, resolving to the entry's stream offset. */
type Publish = (message: { type: MessageType; data: unknown }) => Promise<string>;

/** The Redis streams adapter's stream entry: plain fields, `data` still JSON (or msgpack). */
interface RawMessage {
  uid?: string;
  /** Added here (see `roomsField`): the broadcast's rooms, as a JSON array. */
  rooms?: string;
}
/** The Redis streams adapter's entry handler and encoder (public on the class, not in the types). */
interface RawMessageHandler {
  onRawMessage?: (rawMessage: RawMessage, offset: string) => void;
  encode?: (message: { type: MessageType; data?: unknown }) => RawMessage;
}

const EVENT_PACKET = 2;

/**
 * A cluster adapter (the Redis streams adapter) that sends some broadcasts to this replica's
 * sockets at once and publishes them for the other replicas alongside, instead of first. The
 * library's ClusterAdapter awaits the XADD before every local emit, to append the stream offset
 * that connection-state recovery needs: an event-loop turn and a Redis round trip per packet,
 * which at 150 streams a replica (4,500 deltas a second) tripled a delta's p99 against the
 * single process. See docs/operations.md, section 7 ("Several backends").
 *
 * An emitted-first packet gives up its offset on this replica's sockets only: a socket that
 * recovers its connection state gets again what followed the last offset it holds (the client
 * keys deltas by seq, so repeats are harmless). The packet is in the stream all the same, so a
 * recovery loses nothing, and other replicas' sockets get it with its offset as before. Other
 * packets keep publish-then-emit. Local order per room is kept across both kinds: a packet is
 * emitted here only after the previous packet to the same rooms was.
 */
export function emitFirstAdapter(
  createAdapter: AdapterFactory,
  shouldEmitFirst: (packet: Packet) => boolean,
): AdapterFactory {
  // A function, not an arrow: socket.io calls the factory with `new`.
  return function emitFirst(nsp) {
    const adapter = createAdapter(nsp) as ClusterAdapter;
    const publishThenEmit = adapter.broadcast.bind(adapter);
    const publish = (adapter as unknown as { publishAndReturnOffset: Publish })[
      'publishAndReturnOffset'
    ].bind(adapter);
    const emitHere = (packet: Packet, opts: BroadcastOptions) =>
      Adapter.prototype.broadcast.call(adapter, packet, opts);
    // Read where ClusterAdapter reads it (the Server's options are not public in the types).
    const serverOptions = (nsp.server as unknown as { opts: Partial<ServerOptions> }).opts;
    const hasRecovery = Boolean(serverOptions.connectionStateRecovery);
    // Room → the local delivery of the latest packet to it that is not delivered yet.
    const lastDelivery = new Map<string, Promise<void>>();

    // Every replica reads the whole stream, its own entries included, and the library parses
    // each entry's JSON before ClusterAdapter drops the ones this replica wrote: on the replica
    // streaming the answers that is a JSON.parse per delta it sent. The entry's uid is a plain
    // field, so own entries are dropped here, unparsed (ClusterAdapter ignores them anyway).
    const ownUid = (adapter as unknown as { uid: string }).uid;
    const raw = adapter as unknown as RawMessageHandler;
    const onRawMessage = raw.onRawMessage?.bind(adapter);
    if (onRawMessage) {
      raw.onRawMessage = (rawMessage, offset) => {
        if (rawMessage.uid === ownUid) return;
        // Another replica's broadcast to rooms with no socket here (with several replicas, the
        // deltas of nearly every other student): nothing to deliver, so not parsed either.
        // Without this each replica parsed every delta of every other one, a cost that grows
        // with the square of the replicas. Entries without the field are parsed as before.
        if (rawMessage.rooms !== undefined && !hasLocalSocket(rawMessage.rooms)) return;
        onRawMessage(rawMessage, offset);
      };
    }
    const hasLocalSocket = (rooms: string) => {
      try {
        return (JSON.parse(rooms) as string[]).some((room) => adapter.rooms.has(room));
      } catch {
        return true; // not ours to judge: the library's own parse decides
      }
    };
    const encode = raw.encode?.bind(adapter);
    if (encode) raw.encode = (message) => roomsField(message, encode(message));

    adapter.broadcast = (packet: Packet, opts: BroadcastOptions) => {
      const rooms = [...opts.rooms];
      // This replica only, or every socket (not used by Hintbook): the library's own path.
      if (opts.flags?.local || rooms.length === 0) return publishThenEmit(packet, opts);
      // Serialised now (the XADD's arguments are built synchronously), before any emit.
      const published = publish({
        type: MessageType.BROADCAST,
        data: {
          packet,
          opts: { rooms, except: [...(opts.except ?? [])], flags: opts.flags ?? {} },
        },
      });
      const earlier = rooms.flatMap((room) => lastDelivery.get(room) ?? []);
      const emitFirst = shouldEmitFirst(packet);
      // A failed XADD is not fatal to the emit, as in ClusterAdapter (which only debug-logs it);
      // the Redis client's own error log reports the outage.
      if (emitFirst) published.catch(() => undefined);
      if (emitFirst && earlier.length === 0) {
        emitHere(packet, opts);
        return Promise.resolve();
      }
      const delivered = Promise.all([
        emitFirst ? undefined : published.catch(() => undefined),
        ...earlier,
      ]).then(([offset]) => {
        // As ClusterAdapter does: recoverable packets carry their offset; a failed publish
        // still reaches the sockets here, without one.
        if (offset && hasRecovery && isRecoverable(packet, opts)) packet.data!.push(offset);
        emitHere(packet, opts);
      });
      for (const room of rooms) lastDelivery.set(room, delivered);
      const forget = () => {
        for (const room of rooms)
          if (lastDelivery.get(room) === delivered) lastDelivery.delete(room);
      };
      delivered.then(forget, forget);
      return delivered;
    };
    return adapter;
  };
}

/**
 * A broadcast to rooms carries them in a plain field too, so a replica can drop an entry for rooms
 * it has no socket in without parsing its data. Not for a broadcast that waits for every replica's
 * answer (`requestId`: each must reply, sockets or not), nor one to every socket (no rooms).
 */
function roomsField(
  message: { type: MessageType; data?: unknown },
  rawMessage: RawMessage,
): RawMessage {
  if (message.type !== MessageType.BROADCAST) return rawMessage;
  const data = message.data as { requestId?: string; opts?: { rooms?: string[] } } | undefined;
  const rooms = data?.opts?.rooms;
  if (data?.requestId !== undefined || !rooms?.length) return rawMessage;
  return { ...rawMessage, rooms: JSON.stringify(rooms) };
}

/** Events without an acknowledgement that may not be dropped (ClusterAdapter's own rule). */
function isRecoverable(packet: Packet, opts: BroadcastOptions): boolean {
  return (
    packet.type === EVENT_PACKET &&
    packet.id === undefined &&
    opts.flags?.volatile === undefined &&
    Array.isArray(packet.data)
  );
}
