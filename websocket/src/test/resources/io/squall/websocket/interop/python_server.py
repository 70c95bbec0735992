# A Python websockets echo server (permessage-deflate on by default): prints its port, serves until killed.
import asyncio

import websockets


async def echo(ws, path):
    async for message in ws:
        await ws.send(message)


async def main():
    async with websockets.serve(echo, "127.0.0.1", 0, max_size=2 ** 24) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


asyncio.run(main())
