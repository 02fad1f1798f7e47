"""Headers on every page: a content security policy that allows only this console's own scripts, styles and
forms (the identity provider too, where sign-out goes to it), no framing, no sniffing."""

from urllib.parse import urlsplit


class SecurityHeaders:
    def __init__(self, app, issuer: str | None = None):  # type: ignore[no-untyped-def]
        self.app = app
        provider = ""
        if issuer:
            parts = urlsplit(issuer)
            provider = f" {parts.scheme}://{parts.netloc}"
        policy = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                  f"form-action 'self'{provider}; frame-ancestors 'none'; base-uri 'self'; object-src 'none'")
        self.headers = [(b"content-security-policy", policy.encode()), (b"x-content-type-options", b"nosniff"),
                        (b"x-frame-options", b"DENY"), (b"referrer-policy", b"same-origin")]

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):  # type: ignore[no-untyped-def]
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).extend(self.headers)
            await send(message)

        return await self.app(scope, receive, with_headers)
