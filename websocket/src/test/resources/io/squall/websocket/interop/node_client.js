// A Node ws client against a Squall server: echoes, a ping, a close; prints what it saw as JSON.
const WebSocket = require('ws');

const ws = new WebSocket(process.argv[process.argv.length - 1], { perMessageDeflate: true });
const out = {};
const big = 'squall '.repeat(30000);
const replies = [];
ws.on('open', () => {
  out.extensions = ws.extensions;
  ws.send('h\u00e9llo \u2603');
  ws.send(Buffer.from([...Array(256).keys()]));
  ws.send(big);
  ws.ping('p');
});
ws.on('pong', () => { out.pong = true; });
ws.on('message', (data, isBinary) => {
  replies.push(isBinary ? data : data.toString());
  if (replies.length === 3) {
    out.text = replies[0];
    out.binary_ok = Buffer.isBuffer(replies[1]) && replies[1].equals(Buffer.from([...Array(256).keys()]));
    out.big_ok = replies[2] === big;
    ws.close(1000, 'done');
  }
});
ws.on('close', (code) => {
  out.close_code = code;
  console.log(JSON.stringify(out));
});
ws.on('error', (e) => { console.error(String(e)); process.exit(1); });
