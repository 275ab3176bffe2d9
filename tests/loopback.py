"""Serving a loopback ``http.server`` on a thread that stops at once.

``serve_forever`` notices ``shutdown()`` only at its next poll (every half second by default): with a
server per test that adds up. Here the serving loop waits on the listening socket and on a wake-up socket,
so :meth:`Serving.stop` returns as soon as the loop sees the wake-up byte.
"""

from __future__ import annotations

import selectors
import socket
import socketserver
import threading


class Serving:
    """Serve ``server`` (any ``socketserver.BaseServer``) on a daemon thread until :meth:`stop`."""

    def __init__(self, server: socketserver.BaseServer, name: str) -> None:
        self.server = server
        self._wake_read, self._wake_write = socket.socketpair()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _serve(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self.server, selectors.EVENT_READ)
            selector.register(self._wake_read, selectors.EVENT_READ)
            while True:
                ready = {key.fileobj for key, _ in selector.select()}
                if self._wake_read in ready:
                    return
                self.server.handle_request()  # the listening socket is readable: accepts without waiting

    def stop(self) -> None:
        """End the serving loop, wait for it, close the listening socket."""
        if self._thread.is_alive():
            self._wake_write.send(b"x")
            self._thread.join()
        self.server.server_close()
        self._wake_read.close()
        self._wake_write.close()
