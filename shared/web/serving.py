"""The HTTP protocol uvicorn serves our apps with: uvicorn's own, with Nagle's algorithm off on every connection.

asyncio turns Nagle off only on sockets whose listening socket was created with proto IPPROTO_TCP.
`uvicorn --workers` binds its shared socket with proto 0, so in multi-process mode (`grants serve
--processes N`) every response's body waited behind its headers for the client's delayed ACK: about
40 ms a request, whatever the work. Setting TCP_NODELAY per connection makes both modes behave alike.
"""

import asyncio
import socket

from uvicorn.protocols.http.auto import AutoHTTPProtocol

# uvicorn.Config(http=...) takes an import string, which survives the spawn of each worker process.
HTTP_PROTOCOL = "shared.web.serving:NoDelayHTTPProtocol"


class NoDelayHTTPProtocol(AutoHTTPProtocol):  # type: ignore[misc,valid-type]
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_nodelay(transport.get_extra_info("socket"))
        super().connection_made(transport)


def set_nodelay(sock: socket.socket | None) -> None:
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
