// A Node ws echo server with permessage-deflate: prints its port, serves until killed.
const WebSocket = require('ws');

const server = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
server.on('listening', () => console.log(server.address().port));
server.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});
