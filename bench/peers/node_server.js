// Peer for the HTTP load comparison: Node's http module, one process.
const http = require('http');
const port = Number(process.argv[2]);
const hello = Buffer.from('Hello, world');
http.createServer((req, res) => {
  const answer = () => { res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': hello.length }); res.end(hello); };
  if (req.url.startsWith('/sleep')) setTimeout(answer, 1000); else answer();
}).listen({ port, host: '127.0.0.1', backlog: 8192 });
