# A Python websockets client against a Squall server: echoes, a ping, a close; prints what it saw as JSON.
import asyncio
import json
import sys

import websockets


async def main(url):
    async with websockets.connect(url, max_size=2 ** 24) as ws:
        out = {"extensions": [e.name for e in ws.extensions]}
        await ws.send("h\u00e9llo \u2603")
        out["text"] = await ws.recv()
        await ws.send(bytes(range(256)))
        out["binary_ok"] = (await ws.recv()) == bytes(range(256))
        big = "squall " * 30000
        await ws.send(big)
        out["big_ok"] = (await ws.recv()) == big
        await (await ws.ping(b"p"))
        out["pong"] = True
        await ws.close(1000, "done")
        out["close_code"] = ws.close_code
    print(json.dumps(out), flush=True)


asyncio.run(main(sys.argv[1]))
