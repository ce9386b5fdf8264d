"""A small stand-in for a payment gateway (決済代行), run on loopback in the tests because no real
gateway is reachable: it checks the signed order, shows a payment page, and on "pay" sends the
HMAC-signed notification to the platform (as real gateways do) and redirects the payer back."""

import html
import json
import threading
import time
import urllib.request
import uuid
from urllib.parse import parse_qs, urlencode, urlparse
from wsgiref.simple_server import WSGIRequestHandler, make_server

from jichitai.payments.services import sign


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class GatewaySimulator:
    def __init__(self, secret: str):
        self.secret = secret
        self.notifications: list[dict] = []
        self.server = make_server("127.0.0.1", 0, self.app, handler_class=_Quiet)
        self.url = f"http://127.0.0.1:{self.server.server_port}/pay"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def order_is_genuine(self, order: dict) -> bool:
        unsigned = {key: value for key, value in order.items() if key != "signature"}
        return sign(self.secret, urlencode(sorted(unsigned.items())).encode()) == order.get(
            "signature"
        )

    def notify(
        self,
        order: dict,
        *,
        event_id: str | None = None,
        amount: str | None = None,
        secret: str | None = None,
        signed_at: int | None = None,
    ) -> int:
        body = json.dumps(
            {
                "event_id": event_id or uuid.uuid4().hex,
                "payment_number": order["payment_number"],
                "amount": amount or order["amount"],
                "status": "paid",
                "reference": f"SIM-{uuid.uuid4().hex[:8]}",
                "timestamp": int(time.time()) if signed_at is None else signed_at,
            }
        ).encode()
        if urlparse(order["notify_url"]).hostname not in {"127.0.0.1", "localhost"}:
            raise ValueError("the simulator only notifies the test server on loopback")
        request = urllib.request.Request(  # noqa: S310  (checked above: loopback)
            order["notify_url"],
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Gateway-Signature": "sha256=" + sign(secret or self.secret, body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  (loopback test server)
                self.notifications.append(
                    {"status": response.status, "body": response.read().decode()}
                )
                return response.status
        except urllib.error.HTTPError as error:
            self.notifications.append({"status": error.code, "body": ""})
            return error.code

    def app(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "GET":
            order = {
                key: values[0] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()
            }
            if not self.order_is_genuine(order):
                start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
                return ["注文の署名が正しくありません".encode()]
            hidden = "".join(
                f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                for k, v in order.items()
            )
            page = (
                f'<!DOCTYPE html><html lang="ja"><head><title>決済</title></head><body><main><h1>決済(テスト)</h1>'
                f'<p id="amount">{html.escape(order["amount"])}円</p><form method="post">{hidden}'
                f'<button type="submit">支払う</button></form></main></body></html>'
            )
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [page.encode()]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        order = {
            key: values[0]
            for key, values in parse_qs(environ["wsgi.input"].read(length).decode()).items()
        }
        if not self.order_is_genuine(order):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"bad order"]
        self.notify(order)
        start_response("303 See Other", [("Location", order["return_url"])])
        return [b""]
