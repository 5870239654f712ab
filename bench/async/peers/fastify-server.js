'use strict';
// Fastify peer of bench/async: GET /wait (50 ms timer, then {"ok":true})
// and GET /events (Server-Sent Events, one event to every client every
// 10 ms). Listens on 127.0.0.1; prints "listening PORT" once ready.
//
// start: node peers/fastify-server.js [--port] PORT
const Fastify = require('fastify');
const { setTimeout: sleep } = require('node:timers/promises');

// The port: `--port N`, or N, or $PORT; 0 lets the kernel pick one.
const args = process.argv.slice(2);
const port = Number((args[0] === '--port' ? args[1] : args[0]) ?? process.env.PORT ?? 0);
const app = Fastify({ logger: false });

app.get('/wait', {
  schema: {
    response: {
      200: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
    },
  },
}, async () => {
  await sleep(50);
  return { ok: true };
});

// SSE without a plugin: take the raw response over from Fastify, keep it
// in a set while the client is connected, write each event to every one.
const clients = new Set();

app.get('/events', (req, reply) => {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
  clients.add(res);
  res.on('close', () => clients.delete(res));
});

// One tick every 10 ms, on a self-scheduling timer; a tick that ran late
// drops the ticks it missed (the event rate falls, each event still goes
// to every client). Why not setInterval: libuv (since 1.45) accepts one
// connection per loop iteration, and once a broadcast takes longer than
// 10 ms an overdue timer runs in every iteration, so an overloaded server
// accepted new clients at a few dozen a second and 10,000 of them never
// got connected. So while clients are arriving (one in the last second),
// a late tick leaves the loop ACCEPT_GAP_MS for I/O first; once they are
// all in, ticks run back to back as setInterval's would. The writes go
// out after tick() returns (res.write corks the socket and uncorks it in
// process.nextTick), hence the next tick is scheduled from a nextTick
// queued after them.
const ACCEPT_GAP_MS = 10;
let lastConnection = -Infinity;
app.server.on('connection', () => { lastConnection = performance.now(); });

let seq = 0;
let next = performance.now() + 10;
function tick() {
  seq++;
  const sentUs = Math.round((performance.timeOrigin + performance.now()) * 1000);
  const event = `id: ${seq}\ndata: {"seq":${seq},"sent_us":${sentUs}}\n\n`;
  for (const res of clients) res.write(event);
  process.nextTick(scheduleTick);
}
function scheduleTick() {
  const now = performance.now();
  next += 10;
  if (next < now) next = now - lastConnection < 1000 ? now + ACCEPT_GAP_MS : now;
  setTimeout(tick, next - now);
}
setTimeout(tick, 10);

app.listen({ host: '127.0.0.1', port }).then(() => {
  console.log(`listening ${app.server.address().port}`);
}, (err) => {
  console.error(err);
  process.exit(1);
});
