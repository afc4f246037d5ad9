"""A small OpenID Connect provider that behaves like ProConnect, on 127.0.0.1, for the tests.

As ProConnect's documentation for service providers describes it: discovery under ``/api/v2``,
an authorisation endpoint that refuses a state or a nonce shorter than 32 characters and any
parameter it does not know, a token endpoint that issues an RS256 ID token with the nonce, a
JWKS, a userinfo endpoint answering a signed JWT (``application/jwt``) with ``given_name``,
``usual_name``, ``siret``…, and an end of session that sends the browser back with the state.
A test changes its ``behaviour`` to make it misbehave (wrong nonce, wrong key, expired token…).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "intrapreneur-test"
CLIENT_SECRET = "un-secret-de-test-assez-long-pour-proconnect"
# What ProConnect's authorisation endpoint accepts; anything else is a 400 there.
AUTHORIZE_PARAMS = {
    "response_type", "client_id", "redirect_uri", "scope", "claims", "state", "nonce",
    "prompt", "idp_hint", "acr_values",
}
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)

AGENT = {
    "email": "camille.durand@interieur.gouv.fr",
    "given_name": "Camille Marie",
    "usual_name": "Durand",
    "siret": "13002526500013",
    "uid": "agent-4242",
    "idp_id": "fi-test",
}


@dataclass
class Behaviour:
    """How the provider answers; a test changes one thing to see it refused."""

    claims: dict = field(default_factory=lambda: dict(AGENT))
    sub: str = "sub-0f6b2c"
    nonce: str | None = None  # None: the nonce of the request
    id_token_key: object = KEY
    userinfo_key: object = KEY
    id_token_lifetime: int = 60
    userinfo_as_json: bool = False
    id_token_audience: str = CLIENT_ID
    userinfo_audience: str = CLIENT_ID
    state_length: int | None = None  # cut the state sent back to this length
    error: str | None = None  # send the browser back with this error (access_denied…)


class FakeProConnect:
    def __init__(self) -> None:
        self.behaviour = Behaviour()
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self.end_session_requests: list[dict[str, str]] = []
        self.issued_id_tokens: list[str] = []
        self._codes: dict[str, dict[str, str]] = {}
        self._access_tokens: dict[str, str] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.issuer = self.base + "/api/v2"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeProConnect:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _sign(self, claims: dict, key) -> str:
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "proconnect-1"})

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _send(self, status: int, body: bytes = b"", content_type: str = "",
                      location: str = "") -> None:
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _json(self, data: dict, status: int = 200) -> None:
                self._send(status, json.dumps(data).encode(), "application/json; charset=utf-8")

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/api/v2/.well-known/openid-configuration":
                    return self._json({
                        "issuer": fake.issuer,
                        "authorization_endpoint": fake.issuer + "/authorize",
                        "token_endpoint": fake.issuer + "/token",
                        "userinfo_endpoint": fake.issuer + "/userinfo",
                        "jwks_uri": fake.issuer + "/jwks",
                        "end_session_endpoint": fake.issuer + "/session/end",
                        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
                        "userinfo_signing_alg_values_supported": ["RS256", "ES256"],
                        "token_endpoint_auth_methods_supported": ["client_secret_post"],
                    })
                if url.path == "/api/v2/jwks":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
                    return self._json({"keys": [
                        {**jwk, "kid": "proconnect-1", "alg": "RS256", "use": "sig"}
                    ]})
                if url.path == "/api/v2/authorize":
                    return self._authorize(query)
                if url.path == "/api/v2/userinfo":
                    return self._userinfo()
                if url.path == "/api/v2/session/end":
                    fake.end_session_requests.append(query)
                    back = urlencode({"state": query["state"]})
                    return self._send(303, location=f"{query['post_logout_redirect_uri']}?{back}")
                return self._send(404)

            def _authorize(self, query: dict[str, str]) -> None:
                fake.authorize_requests.append(query)
                if (set(query) - AUTHORIZE_PARAMS or query.get("client_id") != CLIENT_ID
                        or query.get("response_type") != "code"
                        or len(query.get("state", "")) < 32 or len(query.get("nonce", "")) < 32
                        or "openid" not in query.get("scope", "").split()):
                    return self._json({"error": "Y000400 Bad Request Exception"}, 400)
                code = secrets.token_urlsafe(16)
                fake._codes[code] = query
                state = query["state"]
                if fake.behaviour.state_length is not None:
                    state = state[: fake.behaviour.state_length]
                back = urlencode({"code": code, "state": state})
                if fake.behaviour.error:
                    back = urlencode({"error": fake.behaviour.error, "state": state})
                self._send(302, location=f"{query['redirect_uri']}?{back}")

            def do_POST(self) -> None:
                if urlsplit(self.path).path != "/api/v2/token":
                    return self._send(404)
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                fake.token_requests.append(form)
                request = fake._codes.pop(form.get("code", ""), None)
                if (request is None or form.get("client_secret") != CLIENT_SECRET
                        or form.get("client_id") != CLIENT_ID
                        or form.get("grant_type") != "authorization_code"
                        or form.get("redirect_uri") != request["redirect_uri"]):
                    return self._json({"error": "invalid_grant"}, 400)
                behaviour = fake.behaviour
                now = int(time.time())
                id_token = fake._sign({
                    "iss": fake.issuer, "sub": behaviour.sub, "aud": behaviour.id_token_audience,
                    "iat": now, "exp": now + behaviour.id_token_lifetime,
                    "nonce": request["nonce"] if behaviour.nonce is None else behaviour.nonce,
                    "acr": "eidas1", "amr": ["pwd"], "auth_time": now,
                }, behaviour.id_token_key)
                fake.issued_id_tokens.append(id_token)
                access_token = secrets.token_urlsafe(24)
                fake._access_tokens[access_token] = behaviour.sub
                self._json({"access_token": access_token, "token_type": "Bearer",
                            "expires_in": 60, "id_token": id_token})

            def _userinfo(self) -> None:
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                sub = fake._access_tokens.get(token)
                if sub is None:
                    return self._json({"error": "invalid_token"}, 401)
                behaviour = fake.behaviour
                claims = {"sub": sub, **behaviour.claims}
                if behaviour.userinfo_as_json:
                    return self._json(claims)
                signed = fake._sign(
                    {**claims, "iss": fake.issuer, "aud": behaviour.userinfo_audience,
                     "iat": int(time.time())},
                    behaviour.userinfo_key,
                )
                self._send(200, signed.encode(), "application/jwt; charset=utf-8")

        return Handler


def proconnect_settings(fake: FakeProConnect) -> dict:
    """SOCIALACCOUNT_PROVIDERS as the PROCONNECT_* variables would give, for ``fake``."""
    return {"proconnect": {"APPS": [{
        "client_id": CLIENT_ID, "secret": CLIENT_SECRET,
        "settings": {"server_url": fake.issuer, "acr_values": "eidas1"},
    }]}}
