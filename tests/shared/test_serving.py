"""`grants serve --processes N` hands uvicorn a listening socket bound with proto 0; asyncio then leaves
Nagle's algorithm on, and every response's body waited ~40 ms behind its headers. Our protocol turns it off."""

import socket
import threading

import httpx
import uvicorn

from shared.web.serving import HTTP_PROTOCOL


async def ok(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"ok"})


def test_connections_accepted_on_a_proto_0_socket_have_nagle_off() -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # as uvicorn --workers binds it: proto 0
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(ok, http=HTTP_PROTOCOL, lifespan="off", log_config=None,
                                           access_log=False))
    started = threading.Event()
    server_ready = server.startup

    async def startup(sockets=None):  # type: ignore[no-untyped-def]
        await server_ready(sockets)
        started.set()

    server.startup = startup  # type: ignore[method-assign]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        assert started.wait(20)
        host, port = listener.getsockname()
        with httpx.Client(base_url=f"http://{host}:{port}") as client:
            assert client.get("/").text == "ok"  # the keep-alive connection stays open while we look at it
            accepted = [p.transport.get_extra_info("socket") for p in server.server_state.connections]
            assert accepted
            assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in accepted)
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()
