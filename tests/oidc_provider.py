"""An OIDC provider served by the test itself (a real HTTP server on loopback, real RSA and EC keys), shaped
by deploy/keycloak/grants-realm.json as Keycloak would serve that realm: discovery document, JWKS, and a
token endpoint for the client-credentials grant of the realm's service clients (client_secret_basic), whose
optional scopes put their audience mappers' clients in the token's `aud`.

Keys can be added and rotated while it serves; `mint` signs any claims a test wants (a person's token).
"""

import base64
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from shared.broker import free_port

REALM_FILE = Path(__file__).resolve().parents[1] / "deploy" / "keycloak" / "grants-realm.json"
REALM_PATH = "/realms/grants"


class SigningKey:
    def __init__(self, alg: str = "RS256", kid: str | None = None):
        self.alg, self.kid = alg, kid or uuid.uuid4().hex[:12]
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048) if alg.startswith("RS") \
            else ec.generate_private_key(ec.SECP256R1())

    def jwk(self) -> dict[str, Any]:
        algorithm = jwt.algorithms.RSAAlgorithm if self.alg.startswith("RS") else jwt.algorithms.ECAlgorithm
        return {**json.loads(algorithm.to_jwk(self.private.public_key())), "kid": self.kid, "alg": self.alg,
                "use": "sig"}


class OidcProvider:
    def __init__(self, secrets: dict[str, str], issuer: str | None = None, port: int | None = None):
        """secrets: client id -> client secret (the realm's ${...} placeholders, as its environment gives them)."""
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}{REALM_PATH}"
        self.issuer = issuer or self.base  # Keycloak's iss is its frontend URL, whatever host was asked
        self.realm = json.loads(REALM_FILE.read_text())
        self.secrets = secrets
        self.keys = [SigningKey()]  # published; keys[0] signs
        self.token_requests: list[dict[str, Any]] = []
        self.jwks_fetches = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- what a test does ---
    def __enter__(self) -> "OidcProvider":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def jwks_url(self) -> str:
        return f"{self.base}/protocol/openid-connect/certs"

    @property
    def token_url(self) -> str:
        return f"{self.base}/protocol/openid-connect/token"

    def rotate(self, alg: str = "RS256", keep_old: bool = True) -> SigningKey:
        """A new signing key, published first in the JWKS; the old one stays published (passive) or goes."""
        key = SigningKey(alg)
        self.keys = [key, *self.keys] if keep_old else [key]
        return key

    def mint(self, claims: dict[str, Any] | None = None, *, key: SigningKey | None = None, ttl: int = 300,
             **overrides: Any) -> str:
        """A token as the realm would issue it to a person, with any claim overridden (None removes it)."""
        key = key or self.keys[0]
        now = int(time.time())
        body = {"iss": self.issuer, "aud": ["grants-applications", "grants-disbursement", "grants-audit"],
                "sub": str(uuid.uuid4()), "azp": "grants-console", "iat": now, "exp": now + ttl,
                "roles": ["default-roles-grants", "applicant"], **(claims or {}), **overrides}
        body = {k: v for k, v in body.items() if v is not None}
        return jwt.encode(body, key.private, algorithm=key.alg, headers={"kid": key.kid})

    # --- the realm's client-credentials grant ---
    def _client_token(self, client_id: str, scope: str) -> dict[str, Any]:
        client = next(c for c in self.realm["clients"] if c["clientId"] == client_id)
        scopes = {s["name"]: s for s in self.realm["clientScopes"]}
        granted = [s for s in scope.split() if s in client.get("optionalClientScopes", [])]
        audience = [m["config"]["included.client.audience"] for s in granted + client.get("defaultClientScopes", [])
                    for m in scopes[s].get("protocolMappers", []) if m["protocolMapper"] == "oidc-audience-mapper"]
        ttl = int(client.get("attributes", {}).get("access.token.lifespan", self.realm["accessTokenLifespan"]))
        token = self.mint({"sub": str(uuid.uuid5(uuid.NAMESPACE_URL, client_id)), "azp": client_id,
                           "aud": audience or None, "scope": " ".join(granted),
                           # a service account gets the realm's default roles (applicant) like any account
                           "roles": ["default-roles-grants", "applicant"]},
                          ttl=ttl)
        return {"access_token": token, "token_type": "Bearer", "expires_in": ttl, "scope": " ".join(granted)}

    def _handler(self):  # type: ignore[no-untyped-def]
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                pass

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                if self.path == f"{REALM_PATH}/.well-known/openid-configuration":
                    self._send(200, {"issuer": provider.issuer, "jwks_uri": provider.jwks_url,
                                     "token_endpoint": provider.token_url,
                                     "authorization_endpoint": f"{provider.issuer}/protocol/openid-connect/auth",
                                     "id_token_signing_alg_values_supported": ["RS256", "ES256"]})
                elif self.path == f"{REALM_PATH}/protocol/openid-connect/certs":
                    provider.jwks_fetches += 1
                    self._send(200, {"keys": [k.jwk() for k in provider.keys]})
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self) -> None:  # noqa: N802
                if self.path != f"{REALM_PATH}/protocol/openid-connect/token":
                    return self._send(404, {"error": "not_found"})
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
                scheme, _, credentials = (self.headers.get("Authorization") or "").partition(" ")
                client_id, _, secret = base64.b64decode(credentials).decode().partition(":") if scheme == "Basic" \
                    else ("", "", "")
                provider.token_requests.append({"client_id": client_id, **form})
                if form.get("grant_type") != "client_credentials":
                    return self._send(400, {"error": "unsupported_grant_type"})
                if not secret or provider.secrets.get(client_id) != secret:
                    return self._send(401, {"error": "invalid_client"})
                self._send(200, provider._client_token(client_id, form.get("scope", "")))

        return Handler
