'use strict';
// ws peer of bench/async: WebSocket GET /echo (each message sent back to
// its sender) and GET /broadcast (each message sent to every connected
// client, the sender included), on ws's own use of a Node http server.
// Listens on 127.0.0.1; prints "listening PORT" once ready.
//
// start: node peers/ws-server.js [--port] PORT
const http = require('node:http');
const { WebSocketServer, WebSocket } = require('ws');

// The port: `--port N`, or N, or $PORT; 0 lets the kernel pick one.
const args = process.argv.slice(2);
const port = Number((args[0] === '--port' ? args[1] : args[0]) ?? process.env.PORT ?? 0);

const server = http.createServer((req, res) => {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
});

const echo = new WebSocketServer({ noServer: true, clientTracking: false });
const broadcast = new WebSocketServer({ noServer: true });

echo.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});

broadcast.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    for (const client of broadcast.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
    }
  });
});

const routes = { '/echo': echo, '/broadcast': broadcast };

server.on('upgrade', (req, socket, head) => {
  const wss = routes[new URL(req.url, 'http://localhost').pathname];
  if (!wss) {
    socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});

server.listen(port, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
