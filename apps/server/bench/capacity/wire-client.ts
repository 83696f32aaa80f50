/**
 * The lightest clients the load generator can drive thousands of: a Socket.IO client spoken directly
 * over one `ws` WebSocket (engine.io v4 framing: `0` open, `2`/`3` ping/pong, `40` namespace connect
 * with auth, `42[...]` events), and a bare `ws` JSON client for the bare relay. socket.io-client would
 * cost the generator more CPU per socket than the servers it measures.
 */
import WebSocket from 'ws';

/** One connection; `send` takes the event payload (already an object). */
export interface WireClient {
  send(payload: unknown): void;
  close(): void;
  readonly open: boolean;
}

/** Callbacks of a connection. */
export interface WireHandlers {
  onMessage(payload: unknown): void;
  onOpen(): void;
  onError(reason: string): void;
}

/**
 * One WebSocket: `frame` turns a payload into the text sent, `receive` handles a text received and says
 * when the connection is open for messages.
 */
function wsClient(
  url: string,
  headers: Record<string, string>,
  handlers: WireHandlers,
  frame: (payload: unknown) => string,
  receive: (ws: WebSocket, text: string, opened: () => void) => void,
  /** Open for messages as soon as the WebSocket is (no handshake of its own). */
  openOnConnect = false,
): WireClient {
  const ws = new WebSocket(url, { headers, perMessageDeflate: false });
  let open = false;
  const opened = () => {
    open = true;
    handlers.onOpen();
  };
  if (openOnConnect) ws.on('open', opened);
  ws.on('message', (data: WebSocket.RawData) => receive(ws, data.toString(), opened));
  ws.on('error', (err) => handlers.onError(err.message));
  ws.on('close', () => {
    if (open) handlers.onError('closed');
    open = false;
  });
  return {
    send(payload) {
      if (open) ws.send(frame(payload));
    },
    close() {
      open = false;
      ws.terminate();
    },
    get open() {
      return open;
    },
  };
}

/**
 * Socket.IO over a raw WebSocket: connects to `/socket.io/`, joins the default namespace with `auth`,
 * and delivers the payloads of `msg` events.
 */
export function socketIoClient(
  url: string,
  auth: unknown,
  handlers: WireHandlers,
  headers: Record<string, string> = {},
): WireClient {
  return wsClient(
    `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`,
    headers,
    handlers,
    (payload) => `42["msg",${JSON.stringify(payload)}]`,
    (ws, text, opened) => {
      const type = text.charCodeAt(0);
      if (type === 0x32 /* '2' ping */) return ws.send('3');
      if (type === 0x30 /* '0' open */) return ws.send(`40${JSON.stringify(auth)}`);
      if (text.startsWith('40')) return opened();
      if (text.startsWith('44')) return handlers.onError(`connect_error ${text.slice(2)}`);
      if (text.startsWith('42')) {
        const arr = JSON.parse(text.slice(2)) as [string, unknown];
        if (arr[0] === 'msg') handlers.onMessage(arr[1]);
      }
    },
  );
}

/** A bare WebSocket speaking JSON messages, for the bare `ws` relay. */
export function bareClient(url: string, role: string, handlers: WireHandlers): WireClient {
  return wsClient(
    `${url.replace(/^http/, 'ws')}/?role=${role}`,
    {},
    handlers,
    (payload) => JSON.stringify(payload),
    (_ws, text) => handlers.onMessage(JSON.parse(text)),
    true,
  );
}
