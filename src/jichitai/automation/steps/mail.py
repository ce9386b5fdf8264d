"""Steps on an IMAP mailbox: taking the unseen messages in (one item per message, attachments
kept as the run's files) and, in a production run, marking a message taken as read or moving it
to a folder.

Taking messages in never changes the mailbox: the folder is opened read-only (EXAMINE) and
messages are fetched with ``BODY.PEEK``, so a plan lists what a run would take and leaves every
message unseen. Only ``mail.mark`` changes the mailbox; it is an external step, so a plan only
describes it and a production run marks the item (its Message-ID as the scenario's ``key``)
before it — a message taken once is not taken again, even when someone marks it unread.

The server is a target of the scenario: ``imaps://host:993`` (TLS) or ``imap://host:143``
(STARTTLS, always required) in ``JICHITAI_AUTOMATION_TARGETS``; the password comes from the
secrets vault. Certificates are checked against the system's trust store (``SSL_CERT_FILE``).
"""

import base64
import hashlib
import html
import imaplib
import re
import ssl
from contextlib import contextmanager, suppress
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_noop

from jichitai.automation.errors import BusinessError, NotApplied
from jichitai.automation.registry import ANY, EXTERNAL, READ, step

TIMEOUT_SECONDS = 30
DEFAULT_TYPES = [".pdf", ".xlsx", ".xls", ".csv", ".docx", ".txt", ".jpg", ".jpeg", ".png"]
NO_ID = "<no-id:"

_CONNECTION = {
    "target": {
        "type": "string",
        "title": gettext_noop("メールサーバー(対象システム)"),
        "description": gettext_noop(
            "シナリオの「操作する外部システム」に書いた名前。URL は imaps://(TLS)か "
            "imap://(STARTTLS)でシステム管理者が設定します。"
        ),
    },
    "user": {
        "type": "string",
        "title": gettext_noop("利用者名(メールアカウント)"),
        "description": gettext_noop(
            "空なら対象システムの URL に書かれた利用者名(imaps://利用者名@サーバー)。"
        ),
    },
    "password_secret": {
        "type": "string",
        "title": gettext_noop("パスワードの秘密情報の名前"),
        "description": gettext_noop(
            "「秘密情報」の画面で登録した名前。パスワードはシナリオに書きません。"
        ),
    },
}


def folder_argument(name: str) -> str:
    """A folder name as IMAP writes it: modified UTF-7 (RFC 3501 5.1.3), so 「処理済み」 works,
    quoted."""
    parts: list[str] = []
    pending: list[str] = []

    def flush():
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be")).decode("ascii")
            parts.append("&" + encoded.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for character in name:
        if 0x20 <= ord(character) <= 0x7E:
            flush()
            parts.append("&-" if character == "&" else character)
        else:
            pending.append(character)
    flush()
    return _quoted("".join(parts))


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextmanager
def mailbox(ctx, target: str, user: str | None, password_secret: str):
    """A logged-in IMAP connection over TLS, logged out afterwards."""
    url = urlsplit(ctx.target_url(target, ""))
    if url.scheme not in ("imap", "imaps") or not url.hostname:
        raise BusinessError(
            f"対象システム「{target}」の URL は imaps://(TLS)か imap://(STARTTLS)で設定してください。"
        )
    user = user or unquote(url.username or "")
    if not user:
        raise BusinessError(f"メールサーバー「{target}」の利用者名がありません。")
    password = ctx.secret(password_secret)
    context = ssl.create_default_context()
    connection = None
    try:
        if url.scheme == "imaps":
            connection = imaplib.IMAP4_SSL(
                url.hostname, url.port or 993, ssl_context=context, timeout=TIMEOUT_SECONDS
            )
        else:
            connection = imaplib.IMAP4(url.hostname, url.port or 143, timeout=TIMEOUT_SECONDS)
            connection.starttls(context)
    except ssl.SSLCertVerificationError as error:
        _close(connection)
        raise BusinessError(
            f"メールサーバー「{target}」の証明書を確認できません({error.verify_message})。"
        ) from None
    except imaplib.IMAP4.error:
        _close(connection)
        raise BusinessError(
            f"メールサーバー「{target}」が STARTTLS に対応していません(暗号化なしでは接続しません)。"
        ) from None
    except OSError as error:
        _close(connection)
        raise NotApplied(
            f"メールサーバー「{target}」に接続できません({type(error).__name__}: {error})"
        ) from None
    try:
        try:
            connection.login(user, password)
        except imaplib.IMAP4.error:
            raise BusinessError(
                f"メールサーバー「{target}」にログインできません(利用者名「{user}」と秘密情報"
                f"「{password_secret}」を確認してください)。"
            ) from None
        yield connection
    finally:
        _close(connection)


def _close(connection) -> None:
    if connection is None:
        return
    with suppress(OSError, imaplib.IMAP4.error):
        connection.logout()


def _open_folder(connection, folder: str, *, readonly: bool) -> int:
    """Selects ``folder`` (read-only: EXAMINE); returns its UIDVALIDITY."""
    status, _data = connection.select(folder_argument(folder), readonly=readonly)
    if status != "OK":
        raise BusinessError(f"メールのフォルダ「{folder}」がありません。")
    validity = connection.response("UIDVALIDITY")[1]
    return int(validity[0]) if validity and validity[0] else 0


def _fetched(data) -> list[tuple[bytes, bytes]]:
    """(response line, literal) pairs of a FETCH answer."""
    return [part for part in data if isinstance(part, tuple)]


_UID = re.compile(rb"UID (\d+)")


# --- Taking messages in ----------------------------------------------------------------------


@step(
    "mail.receive",
    gettext_noop("メールの受信(IMAP)"),
    properties={
        **_CONNECTION,
        "folder": {
            "type": "string",
            "title": gettext_noop("フォルダ"),
            "description": gettext_noop("空なら受信箱(INBOX)。"),
        },
        "from": {
            "type": "string",
            "title": gettext_noop("差出人に含む語"),
            "description": gettext_noop("例: @city.example.lg.jp(空ならすべての差出人)"),
        },
        "subject": {
            "type": "string",
            "title": gettext_noop("件名に含む語"),
            "description": gettext_noop("例: 申請書(空ならすべての件名)"),
        },
        "attachment_types": {
            "type": "array",
            "items": {"type": "string"},
            "title": gettext_noop("受け取る添付ファイルの種類"),
            "description": gettext_noop(
                "拡張子を1行に1つずつ(例: .pdf)。空なら PDF・Excel・CSV・Word・"
                "画像・テキスト。ほかの添付は保存せず、理由を {{ item.refused }} に残します。"
            ),
        },
        "max_attachment_mb": {
            "type": "number",
            "exclusiveMinimum": 0,
            "title": gettext_noop("添付ファイル1つの上限(MB)"),
            "description": gettext_noop("空なら 10 MB。"),
        },
        "limit": {
            "type": "integer",
            "minimum": 1,
            "title": gettext_noop("1回に受け取る件数の上限"),
            "description": gettext_noop("空なら 50 件。残りは次の実行で受け取ります。"),
        },
    },
    required=["target", "password_secret"],
    effect=READ,
    describe=lambda p: (
        f"メールを受信: {p.get('target')} {p.get('folder') or 'INBOX'} の未読"
        + (f"(差出人「{p['from']}」)" if p.get("from") else "")
        + (f"(件名「{p['subject']}」)" if p.get("subject") else "")
    ),
)
def mail_receive(
    ctx,
    target,
    password_secret,
    user=None,
    folder="INBOX",
    attachment_types=None,
    max_attachment_mb=10,
    limit=50,
    **filters,
):
    """The unseen messages of ``folder`` whose sender and subject contain the words given, oldest
    first: one row per message with its attachments saved as files of the run — ``message_id``
    (the scenario's key), ``subject``, ``from``, ``from_address``, ``date``, ``body``,
    ``attachments`` (name, file, type, size), ``attachment`` (the first file), ``refused`` (the
    attachments left out and why), and ``folder``/``uid``/``uidvalidity`` for ``mail.mark``."""
    folder = folder or "INBOX"
    allowed = {_extension(t) for t in attachment_types or DEFAULT_TYPES}
    max_bytes = int(float(max_attachment_mb or 10) * 1024 * 1024)
    with mailbox(ctx, target, user, password_secret) as connection:
        validity = _open_folder(connection, folder, readonly=True)
        _status, found = connection.uid("SEARCH", "UNSEEN")
        uids = [int(uid) for uid in (found[0] or b"").split()]
        wanted = _matching(connection, uids, filters)[: int(limit or 50)]
        sizes = _sizes(connection, wanted)
        largest = settings.JICHITAI_AUTOMATION_MAIL_MAX_BYTES
        rows = []
        for uid in wanted:
            # A message too large to download is taken by its header: the item says why.
            whole = sizes.get(uid, 0) <= largest
            section = "BODY.PEEK[]" if whole else "BODY.PEEK[HEADER]"
            _status, data = connection.uid("FETCH", str(uid), f"({section})")
            parts = _fetched(data)
            if not parts:
                continue  # expunged meanwhile
            message = message_from_bytes(parts[0][1], policy=policy.default)
            too_large = (
                ""
                if whole
                else f"メール全体が {sizes[uid] / 1024 / 1024:.1f} MB で大きすぎるため、"
                "本文と添付を受け取りませんでした"
            )
            rows.append(
                _row(
                    ctx,
                    message,
                    uid=uid,
                    folder=folder,
                    validity=validity,
                    allowed=allowed,
                    max_bytes=max_bytes,
                    too_large=too_large,
                )
            )
    return rows


_SIZE = re.compile(rb"UID (\d+) RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+) UID (\d+)")


def _sizes(connection, uids: list[int]) -> dict[int, int]:
    if not uids:
        return {}
    _status, data = connection.uid("FETCH", ",".join(map(str, uids)), "(RFC822.SIZE)")
    sizes = {}
    for line in data:
        found = _SIZE.search(line if isinstance(line, bytes) else line[0])
        if found:
            uid, size = (found.group(1), found.group(2)) if found.group(1) else found.group(4, 3)
            sizes[int(uid)] = int(size)
    return sizes


def _extension(text: str) -> str:
    text = str(text).strip().lower()
    return text if text.startswith(".") else "." + text


def _matching(connection, uids: list[int], filters: dict) -> list[int]:
    """The messages whose decoded sender and subject contain the words (compared here, not by
    the server's SEARCH, so encoded Japanese headers match as they read)."""
    words = {name: str(filters.get(name) or "").strip().lower() for name in ("from", "subject")}
    if not uids or not any(words.values()):
        return sorted(uids)
    uid_set = ",".join(str(uid) for uid in uids)
    _status, data = connection.uid("FETCH", uid_set, "(BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)])")
    kept = []
    for line, header in _fetched(data):
        found = _UID.search(line)
        headers = message_from_bytes(header, policy=policy.default)
        if found and all(
            word in str(headers.get(name, "")).lower() for name, word in words.items() if word
        ):
            kept.append(int(found.group(1)))
    return sorted(kept)


def _row(ctx, message, *, uid, folder, validity, allowed, max_bytes, too_large="") -> dict:
    sender = message.get("From", "")
    addresses = getattr(sender, "addresses", ())
    attachments: list[dict] = []
    refused = [too_large] if too_large else []
    for number, part in enumerate(() if too_large else message.iter_attachments(), start=1):
        name = _safe_name(part.get_filename(), number=number, content_type=part.get_content_type())
        content = part.get_payload(decode=True) or b""
        if Path(name).suffix.lower() not in allowed:
            refused.append(f"{name}(受け取らない種類)")
        elif len(content) > max_bytes:
            refused.append(f"{name}({len(content) / 1024 / 1024:.1f} MB、上限を超えています)")
        else:
            saved = ctx.write_output(f"mail{uid}_{name}", content)
            attachments.append(
                {"name": name, "file": saved, "type": part.get_content_type(), "size": len(content)}
            )
    return {
        "message_id": _message_id(message),
        "folder": folder,
        "uid": uid,
        "uidvalidity": validity,
        "subject": str(message.get("Subject", "")),
        "from": str(sender),
        "from_address": addresses[0].addr_spec if addresses else "",
        "date": _date(message.get("Date")),
        "body": "" if too_large else _body_text(message),
        "attachments": attachments,
        "attachment": attachments[0]["file"] if attachments else "",
        "refused": "、".join(refused),
    }


def _message_id(message) -> str:
    value = str(message.get("Message-ID", "")).strip()
    if value:
        return value
    # No Message-ID: one made from what identifies the message, stable across runs.
    seen = "\n".join(str(message.get(name, "")) for name in ("Date", "From", "Subject"))
    return f"{NO_ID}{hashlib.sha256(seen.encode()).hexdigest()[:32]}>"


def _date(value) -> str:
    if not value:
        return ""
    try:
        moment = parsedate_to_datetime(str(value))
    except (TypeError, ValueError):
        return str(value)
    if timezone.is_naive(moment):
        return f"{moment:%Y-%m-%d %H:%M}"
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _body_text(message) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    text = body.get_content()
    if body.get_content_subtype() == "html":
        text = html.unescape(strip_tags(text))
    return text.strip()


_UNSAFE = re.compile(r'[\x00-\x1f\\/:*?"<>|]')
_EXTENSIONS = {"application/pdf": ".pdf", "text/plain": ".txt", "text/csv": ".csv"}


def _safe_name(filename, *, number: int, content_type: str) -> str:
    name = _UNSAFE.sub("_", Path(str(filename or "")).name).strip(" .")
    return name or f"添付{number}{_EXTENSIONS.get(content_type, '.bin')}"


# --- Marking a message taken -----------------------------------------------------------------


@step(
    "mail.mark",
    gettext_noop("受信したメールを既読・移動にする"),
    properties={
        **_CONNECTION,
        "message": {
            **ANY,
            "title": gettext_noop("対象のメール"),
            "description": gettext_noop("ふつうは {{ item }}(処理中の1件のメール)と書きます。"),
        },
        "move_to": {
            "type": "string",
            "title": gettext_noop("移動先のフォルダ"),
            "description": gettext_noop(
                "例: 処理済み(なければ作ります)。空なら既読にするだけです。"
            ),
        },
    },
    required=["target", "password_secret", "message"],
    effect=EXTERNAL,
    describe=lambda p: (
        f"メールを{'「' + p['move_to'] + '」に移動' if p.get('move_to') else '既読に'}: "
        + (
            f"「{p['message'].get('subject', '')}」"
            if isinstance(p.get("message"), dict)
            else str(p.get("message"))
        )
    ),
)
def mail_mark(ctx, target, password_secret, message, user=None, move_to=None):
    if not isinstance(message, dict) or not message.get("message_id"):
        raise BusinessError(
            "対象のメールには mail.receive で受け取った1件({{ item }})を指定します。"
        )
    folder = message.get("folder") or "INBOX"
    with mailbox(ctx, target, user, password_secret) as connection:
        validity = _open_folder(connection, folder, readonly=False)
        uid = _find(connection, message, validity=validity)
        if uid is None:
            raise BusinessError(
                f"メール「{message.get('subject', '')}」がフォルダ「{folder}」に見つかりません"
                "(移動・削除された可能性があります)。"
            )
        connection.uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen)")
        if not move_to:
            return "既読"
        destination = folder_argument(move_to)
        connection.create(destination)  # answers NO when it exists already
        _status, capabilities = connection.capability()
        if b"MOVE" in (capabilities[0] or b"").split():
            status, detail = connection.uid("MOVE", uid, destination)
        else:
            status, detail = connection.uid("COPY", uid, destination)
            if status == "OK":
                connection.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
                connection.expunge()
        if status != "OK":
            raise BusinessError(f"メールをフォルダ「{move_to}」に移動できません({detail}).")
        return f"「{move_to}」に移動"


def _find(connection, message: dict, *, validity: int) -> str | None:
    """The message's UID now: by its Message-ID, or by the UID taken in when it has none and the
    folder was not renumbered since."""
    message_id = str(message["message_id"])
    if message_id.startswith(NO_ID):
        # UIDs are never reused while UIDVALIDITY stays: a UID still present is that message.
        if not message.get("uid") or int(message.get("uidvalidity") or 0) != validity:
            return None
        _status, found = connection.uid("SEARCH", "UID", str(int(message["uid"])))
    else:
        _status, found = connection.uid("SEARCH", "HEADER", "Message-ID", _quoted(message_id))
    uids = (found[0] or b"").split()
    return uids[0].decode() if uids else None
