/** An unmasked, unfragmented WebSocket text frame (RFC 6455 §5.2), as a server sends it. */
export function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const length = payload.length;
  const header = Buffer.alloc(length < 126 ? 2 : length < 65_536 ? 4 : 10);
  header[0] = 0x81;
  if (length < 126) header[1] = length;
  else if (length < 65_536) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/*
 * The idle-WebSocket fast path: a frame written straight onto the TCP socket under an open
 * WebSocket. Socket.IO's own broadcast costs about twice the write itself per socket (packet
 * objects, events, stream callbacks), which at thousands of viewers is most of the core. Finding that
 * TCP socket, and whether anything is queued before the frame, takes private fields of engine.io and
 * ws (the pinned versions): they are named here and read nowhere else.
 */
interface EngineTransport {
  name: string;
  writable: boolean;
  socket?: { _socket?: TcpSocket };
}
interface EngineConnection {
  readyState: string;
  writeBuffer: unknown[];
  transport: EngineTransport;
}
type TcpSocket = NodeJS.WritableStream & { readonly writableLength: number };

/** The fields a connection's route is found from, kept on the object that writes to it (no object of their own per socket). */
export interface RawConnection {
  readonly conn: EngineConnection;
  /** The transport `tcp` was found on: when the connection upgrades, it is looked up again. */
  transport: EngineTransport | null;
  tcp: TcpSocket | null;
}

export function engineConnection(socket: { readonly conn: unknown }): EngineConnection {
  return socket.conn as unknown as EngineConnection;
}

/**
 * How a frame reaches this connection now: straight onto the TCP socket under an open WebSocket with
 * nothing queued; through engine.io (polling, upgrading, a send in flight); or not at all while the
 * connection still holds an earlier message, in engine.io's queue or in the socket's own buffer.
 */
export function routeOf(raw: RawConnection): TcpSocket | 'engine' | 'busy' {
  const { conn } = raw;
  const { transport } = conn;
  if (transport !== raw.transport) {
    raw.transport = transport;
    raw.tcp = transport.name === 'websocket' ? (transport.socket?._socket ?? null) : null;
  }
  if (conn.writeBuffer.length > 0 || (raw.tcp !== null && raw.tcp.writableLength > 0)) return 'busy';
  return raw.tcp && conn.readyState === 'open' && transport.writable ? raw.tcp : 'engine';
}
