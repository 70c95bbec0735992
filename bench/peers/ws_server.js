// Peer for the WebSocket echo comparison: Node's `ws` (npm ws@8, installed by bench/scripts/ws.sh),
// one process, echoing every message as it came (text as text, binary as binary). Its defaults: no
// permessage-deflate, messages up to 100 MiB. On SIGUSR2 (node started with --expose-gc) it collects
// garbage and prints "heapUsed <bytes>", for the idle-connection memory measurement.
const { WebSocketServer } = require('ws');
const port = Number(process.argv[2]);
const server = new WebSocketServer({ host: '127.0.0.1', port, path: '/ws', backlog: 8192 });
server.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});
process.on('SIGUSR2', () => {
  if (global.gc) global.gc();
  console.log(`heapUsed ${process.memoryUsage().heapUsed}`);
});
