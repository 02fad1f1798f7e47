"""A tiny OpenID provider the test serves on loopback, for the console's sign-in (authorization code + PKCE):
discovery, an authorization endpoint that signs in the person the test chose, a token endpoint that checks the
code, the client, the redirect URI and the PKCE verifier (S256) before it answers, and the JWKS of its RSA key.
It cannot be Keycloak here; it speaks the same protocol as the realm in deploy/keycloak does for grants-console."""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.broker import free_port


class LoginProvider:
    def __init__(self, client_id: str = "grants-console"):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}/realms/grants"
        self.client_id = client_id
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(6)
        self.person: dict[str, Any] = {"sub": "u-1", "name": "李明", "roles": ["default-roles-grants", "officer"]}
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self.issued: list[dict[str, Any]] = []  # the tokens it gave
        self._codes: dict[str, dict[str, str]] = {}
        self.forge_id_token = False  # sign the ID token with a key the JWKS does not hold
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())

    def __enter__(self) -> "LoginProvider":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def _tokens(self, grant: dict[str, str]) -> dict[str, Any]:
        now = int(time.time())
        person = dict(self.person)
        access = self._sign({"iss": self.issuer, "aud": ["grants-applications", "grants-disbursement", "grants-audit"],
                             "azp": self.client_id, "iat": now, "exp": now + 300, **person})
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300, "nonce": grant["nonce"],
                  **person}
        identity = jwt.encode(claims, rsa.generate_private_key(public_exponent=65537, key_size=2048),
                              algorithm="RS256", headers={"kid": self.kid}) if self.forge_id_token else self._sign(claims)
        answer = {"access_token": access, "id_token": identity, "token_type": "Bearer", "expires_in": 300}
        self.issued.append(answer)
        return answer

    def _handler(self):  # type: ignore[no-untyped-def]
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                pass

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                url = urlsplit(self.path)
                base = "/realms/grants"
                if url.path == f"{base}/.well-known/openid-configuration":
                    return self._json(200, {
                        "issuer": provider.issuer, "authorization_endpoint": f"{provider.issuer}/auth",
                        "token_endpoint": f"{provider.issuer}/token", "jwks_uri": f"{provider.issuer}/certs",
                        "end_session_endpoint": f"{provider.issuer}/logout", "response_types_supported": ["code"],
                        "code_challenge_methods_supported": ["S256"], "id_token_signing_alg_values_supported": ["RS256"]})
                if url.path == f"{base}/certs":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
                    return self._json(200, {"keys": [{**jwk, "kid": provider.kid, "alg": "RS256", "use": "sig"}]})
                if url.path == f"{base}/auth":
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    provider.authorize_requests.append(query)
                    code = secrets.token_urlsafe(16)
                    provider._codes[code] = query
                    self.send_response(302)
                    self.send_header("Location", f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}")
                    self.end_headers()
                    return None
                return self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:  # noqa: N802
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
                provider.token_requests.append(form)
                grant = provider._codes.pop(form.get("code", ""), None)
                if form.get("grant_type") != "authorization_code" or grant is None:
                    return self._json(400, {"error": "invalid_grant"})
                if form.get("client_id") != provider.client_id or form.get("redirect_uri") != grant["redirect_uri"]:
                    return self._json(400, {"error": "invalid_client"})
                challenge = base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
                if grant.get("code_challenge_method") != "S256" or challenge.rstrip(b"=").decode() != grant.get("code_challenge"):
                    return self._json(400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
                return self._json(200, provider._tokens(grant))

        return Handler
