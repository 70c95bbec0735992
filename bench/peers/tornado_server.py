"""Peer for the HTTP load comparison: Tornado (Debian's python3-tornado), one process, one loop."""
import sys

import tornado.gen
import tornado.ioloop
import tornado.web


class Hello(tornado.web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/plain")
        self.write("Hello, world")


class Sleep(tornado.web.RequestHandler):
    async def get(self):
        await tornado.gen.sleep(1)
        self.set_header("Content-Type", "text/plain")
        self.write("Hello, world")


if __name__ == "__main__":
    app = tornado.web.Application([(r"/sleep", Sleep), (r"/.*", Hello)])
    app.listen(int(sys.argv[1]), address="127.0.0.1", backlog=8192)
    tornado.ioloop.IOLoop.current().start()
