/**
 * The baselines of `bench:capacity`, run as their own process: `tsx relays.ts sio PORT` (a naive Socket.IO
 * relay: no validation, no storage, every student message forwarded at once to the teachers' room) or
 * `tsx relays.ts ws PORT` (the same over bare `ws`). They print `listening PORT` when ready.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import WebSocket, { WebSocketServer } from 'ws';

const [kind, portArg] = process.argv.slice(2);
const port = Number(portArg ?? 0);
const http = createServer();

if (kind === 'sio') {
  const io = new Server(http, { serveClient: false, transports: ['websocket'] });
  io.on('connection', (socket) => {
    const auth = socket.handshake.auth as { role?: string };
    if (auth.role === 'teacher') {
      void socket.join('teachers');
      return;
    }
    socket.on('msg', (payload: unknown) => io.to('teachers').emit('msg', payload));
  });
} else if (kind === 'ws') {
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  const teachers = new Set<WebSocket>();
  wss.on('connection', (ws, req) => {
    if (req.url?.includes('role=teacher')) {
      teachers.add(ws);
      ws.on('close', () => teachers.delete(ws));
      return;
    }
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      for (const t of teachers) t.send(data, { binary: isBinary });
    });
  });
} else {
  throw new Error(`unknown relay ${kind}: sio or ws`);
}

http.listen(port, '127.0.0.1', () => {
  const a = http.address();
  process.stdout.write(`listening ${typeof a === 'object' && a ? a.port : port}\n`);
});
