"""The legacy system: 自動車税 送付先変更 入力システム (模擬).

Pages are encoded in Shift_JIS and forms post in Shift_JIS, as in many older vendor systems.
Test hooks: ``fail_next`` (answer the next N requests with 503), ``layout = "v2"`` (a changed
screen: the name field gets another id)."""

import html
import http.server
import secrets
import threading
from http import HTTPStatus
from urllib.parse import parse_qs

ENCODING = "shift_jis"
FIELDS = [
    ("ref", "受付番号"),
    ("name", "氏名"),
    ("postal", "郵便番号"),
    ("address", "新しい送付先"),
    ("plate", "自動車登録番号"),
]
REASONS = ["転居", "住居表示の変更", "その他"]
DEMO_PASSWORD = "legacy-demo-pass"  # noqa: S105  (the stand-in system's demo login)

STYLE = (
    "body{font-family:sans-serif;background:#eef;margin:0}header{background:#003;color:#fff;"
    "padding:4px 8px}main{padding:8px}label{display:inline-block;width:10em}"
    ".error{color:#c00}table{border-collapse:collapse}td,th{border:1px solid #888;padding:2px 6px}"
)


class LegacyState:
    def __init__(self, user: str, password: str):
        self.user = user
        self.password = password
        self.sessions: set[str] = set()
        self.records: list[dict] = []
        self.fail_next = 0
        self.fail_paths: dict[str, int] = {}  # "POST /records": times to answer 503
        self.fail_status = 503
        self.layout = "v1"
        self.lock = threading.Lock()

    def add(self, values: dict) -> str:
        with self.lock:
            number = f"L{len(self.records) + 1:06d}"
            self.records.append({**values, "number": number})
            return number


def _page(title: str, body: str) -> bytes:
    text = (
        '<!DOCTYPE html><html lang="ja"><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><header>自動車税 送付先管理システム</header><main><h1>{html.escape(title)}</h1>"
        f"{body}</main></body></html>"
    )
    return text.encode(ENCODING, errors="xmlcharrefreplace")


class Handler(http.server.BaseHTTPRequestHandler):
    state: LegacyState
    server_version = "LegacySystem/1.0"

    def log_message(self, format, *args):
        pass

    # Plumbing ---------------------------------------------------------------------------------
    def _send(self, body: bytes, status=HTTPStatus.OK, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=Shift_JIS")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location, headers=None):
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def _form(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("ascii", errors="replace")
        return {
            k: v[0] for k, v in parse_qs(raw, encoding=ENCODING, keep_blank_values=True).items()
        }

    def _session(self) -> bool:
        cookies = self.headers.get("Cookie", "")
        for part in cookies.split(";"):
            name, _, value = part.strip().partition("=")
            if name == "LEGACYSESSION" and value in self.state.sessions:
                return True
        return False

    def _failing(self) -> bool:
        route = f"{self.command} {self.path.split('?')[0]}"
        with self.state.lock:
            if self.state.fail_next > 0:
                self.state.fail_next -= 1
                failing = True
            elif self.state.fail_paths.get(route, 0) > 0:
                self.state.fail_paths[route] -= 1
                failing = True
            else:
                failing = False
        if failing:
            self._send(
                _page("サービス停止中", "<p>ただいま混み合っています。</p>"),
                status=self.state.fail_status,
            )
        return failing

    # Routes -----------------------------------------------------------------------------------
    def do_GET(self):
        if self._failing():
            return
        path = self.path.split("?")[0]
        if path in ("/", "/login"):
            return self._send(_page("ログイン", self._login_form()))
        if not self._session():
            return self._redirect("/login")
        if path == "/menu":
            return self._send(
                _page(
                    "メニュー",
                    '<ul><li><a href="/records/new" id="menu-new">送付先変更 入力</a></li>'
                    '<li><a href="/records" id="menu-list">登録一覧</a></li></ul>',
                )
            )
        if path == "/records/new":
            return self._send(_page("送付先変更 入力", self._record_form({})))
        if path == "/records.csv":
            lines = ["登録番号,受付番号,氏名,郵便番号,新しい送付先,自動車登録番号,変更理由"]
            lines += [
                ",".join(r.get(k, "") for k in ["number", *[f for f, _ in FIELDS], "reason"])
                for r in self.state.records
            ]
            body = ("\r\n".join(lines) + "\r\n").encode(ENCODING, errors="replace")
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/csv; charset=Shift_JIS")
            self.send_header("Content-Disposition", 'attachment; filename="records.csv"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        if path == "/records":
            rows = "".join(
                "<tr>"
                + "".join(
                    f"<td>{html.escape(r.get(k, ''))}</td>"
                    for k in ["number", *[f for f, _ in FIELDS], "reason"]
                )
                + "</tr>"
                for r in self.state.records
            )
            head = "".join(
                f"<th>{label}</th>" for label in ["登録番号", *[x for _, x in FIELDS], "変更理由"]
            )
            return self._send(
                _page(
                    "登録一覧",
                    f'<table id="records"><tr>{head}</tr>{rows}</table>'
                    '<p><a href="/records.csv" id="download-csv">CSV でダウンロード</a></p>',
                )
            )
        self._send(
            _page("見つかりません", "<p>ページがありません。</p>"), status=HTTPStatus.NOT_FOUND
        )

    def do_POST(self):
        if self._failing():
            return
        path = self.path.split("?")[0]
        form = self._form()
        if path == "/login":
            if (
                form.get("userid") == self.state.user
                and form.get("password") == self.state.password
            ):
                token = secrets.token_hex(16)
                self.state.sessions.add(token)
                return self._redirect(
                    "/menu", {"Set-Cookie": f"LEGACYSESSION={token}; Path=/; HttpOnly"}
                )
            return self._send(
                _page(
                    "ログイン",
                    '<p class="error" id="login-error">利用者IDまたはパスワードが違います。</p>'
                    + self._login_form(),
                ),
                status=HTTPStatus.UNAUTHORIZED,
            )
        if not self._session():
            return self._redirect("/login")
        values = self._values(form)
        if path == "/records/confirm":
            missing = [label for name, label in FIELDS if not values[name]]
            if missing:
                error = (
                    f'<p class="error" id="form-error">{"、".join(missing)}を入力してください。</p>'
                )
                return self._send(_page("送付先変更 入力", error + self._record_form(values)))
            rows = "".join(
                f'<tr><th>{label}</th><td id="confirm-{name}">{html.escape(values[name])}</td></tr>'
                for name, label in [*FIELDS, ("reason", "変更理由")]
            )
            hidden = "".join(
                f'<input type="hidden" name="{name}" value="{html.escape(values[name])}">'
                for name in [*[f for f, _ in FIELDS], "reason"]
            )
            return self._send(
                _page(
                    "入力内容の確認",
                    f"<table>{rows}</table><form method='post' action='/records'>{hidden}"
                    "<button type='submit' id='register'>登録</button></form>"
                    "<form method='get' action='/records/new'><button id='back'>戻る</button></form>",
                )
            )
        if path == "/records":
            number = self.state.add(values)
            return self._send(
                _page(
                    "登録完了",
                    f'<p>登録しました。登録番号 <span id="record-no">{number}</span></p>'
                    '<p><a href="/records/new">続けて入力</a></p>',
                )
            )
        self._send(
            _page("見つかりません", "<p>ページがありません。</p>"), status=HTTPStatus.NOT_FOUND
        )

    # Forms ------------------------------------------------------------------------------------
    def _values(self, form) -> dict:
        values = {
            name: form.get(self._field_id(name), form.get(name, "")).strip() for name, _ in FIELDS
        }
        values["reason"] = form.get("reason", "")
        return values

    def _field_id(self, name: str) -> str:
        return "shimei" if (name == "name" and self.state.layout == "v2") else name

    def _login_form(self) -> str:
        return (
            '<form method="post" action="/login">'
            '<p><label for="userid">利用者ID</label><input id="userid" name="userid"></p>'
            '<p><label for="password">パスワード</label><input id="password" name="password" type="password"></p>'
            '<p><button type="submit" id="login">ログイン</button></p></form>'
        )

    def _record_form(self, values: dict) -> str:
        rows = "".join(
            f'<p><label for="{self._field_id(name)}">{label}</label>'
            f'<input id="{self._field_id(name)}" name="{self._field_id(name)}" value="{html.escape(values.get(name, ""))}"></p>'
            for name, label in FIELDS
        )
        options = "".join(f"<option>{reason}</option>" for reason in REASONS)
        return (
            f'<form method="post" action="/records/confirm" accept-charset="Shift_JIS">{rows}'
            f'<p><label for="reason">変更理由</label><select id="reason" name="reason">{options}</select></p>'
            '<p><button type="submit" id="confirm">確認</button></p></form>'
        )


class LegacyServer:
    """The system on a loopback port in a background thread (``port=0`` picks a free one)."""

    def __init__(self, host="127.0.0.1", port=0, *, user="robot", password=DEMO_PASSWORD):
        self.state = LegacyState(user, password)
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self.httpd = http.server.ThreadingHTTPServer((host, port), handler)
        self.thread = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def records(self) -> list[dict]:
        return self.state.records

    def start(self) -> "LegacyServer":
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, daemon=True, name="legacy-system"
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(host="127.0.0.1", port=8199, *, user="robot", password=DEMO_PASSWORD) -> None:
    server = LegacyServer(host, port, user=user, password=password)
    print(f"旧システム(模擬)を {server.url} で起動します(利用者ID: {user})。")
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
