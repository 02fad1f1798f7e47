"""Production sign-in: OpenID Connect authorization code flow with PKCE (S256), the console being the
provider's public client (deploy/keycloak/grants-realm.json: grants-console). Authlib does the protocol: the
discovery document, state and nonce, the code verifier kept in the session until the callback, the code
exchange, and the ID token's signature (JWKS), issuer, audience and nonce."""

from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App

from services.console.config import Settings


def oidc_client(settings: Settings) -> StarletteOAuth2App | None:
    if not settings.grants_oidc_issuer:
        return None
    oauth = OAuth()
    return oauth.register(
        "provider", client_id=settings.console_oidc_client_id,
        server_metadata_url=settings.console_oidc_metadata_url
        or settings.grants_oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": settings.console_oidc_scope, "code_challenge_method": "S256",
                       "token_endpoint_auth_method": "none"})
