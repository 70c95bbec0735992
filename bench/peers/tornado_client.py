"""Tornado's side of the HTTP client comparison (Debian's python3-tornado).

Usage: tornado_client.py URL REQUESTS WINDOW [WARMUP_REQUESTS] [simple|curl]

One AsyncHTTPClient with max_clients=WINDOW (the simple client by default, which opens a connection per
request; "curl" for CurlAsyncHTTPClient, which keeps them alive) and WINDOW coroutines that each fetch
in turn until the batch is done: a warm-up batch, then the measured one. Prints the same line as the Java
loads: requests/s R cpu_us_per_request C seconds S (CPU: user + system time of this process).
"""
import asyncio
import sys
import time

from tornado.httpclient import AsyncHTTPClient
from tornado.ioloop import IOLoop

EXPECTED_BODY = b"Hello, world"


async def batch(client, url, requests, window):
    left = requests

    async def worker():
        nonlocal left
        while left > 0:
            left -= 1
            response = await client.fetch(url)  # raises on a status outside 2xx
            if response.body != EXPECTED_BODY:
                raise RuntimeError("unexpected response %r" % response)

    await asyncio.gather(*(worker() for _ in range(window)))


async def main():
    url, requests, window = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    warmup = int(sys.argv[4]) if len(sys.argv) > 4 else requests // 5
    if len(sys.argv) > 5 and sys.argv[5] == "curl":
        AsyncHTTPClient.configure("tornado.curl_httpclient.CurlAsyncHTTPClient")
    client = AsyncHTTPClient(max_clients=window)
    await batch(client, url, warmup, window)
    cpu_before, start = time.process_time(), time.perf_counter()
    await batch(client, url, requests, window)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_before
    print("requests/s %.0f cpu_us_per_request %.1f seconds %.2f" % (requests / seconds, cpu * 1e6 / requests, seconds))
    client.close()


if __name__ == "__main__":
    IOLoop.current().run_sync(main)
