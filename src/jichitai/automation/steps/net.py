"""Steps talking to other systems: e-mail and HTTP APIs."""

from django.utils.translation import gettext_noop

from jichitai.automation.errors import BusinessError, NotApplied
from jichitai.automation.registry import ANY, EXTERNAL, REMOTE, STRING, STRINGS, step


@step(
    "email.send",
    gettext_noop("メールを送る"),
    properties={"to": {"oneOf": [STRING, STRINGS]}, "subject": STRING, "body": STRING},
    required=["to", "subject", "body"],
    effect=EXTERNAL,
    describe=lambda p: f"メール送信: {p.get('to')}「{p.get('subject')}」",
)
def email_send(ctx, to, subject, body):
    from django.core.mail import send_mail

    recipients = [to] if isinstance(to, str) else list(to)
    send_mail(subject, body, None, recipients)
    return len(recipients)


@step(
    "http.call",
    gettext_noop("API を呼び出す"),
    properties={
        "target": STRING,
        "path": STRING,
        "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE"]},
        "json": ANY,
        "params": {"type": "object"},
        "bearer_secret": STRING,
    },
    required=["target"],
    effect=lambda p: REMOTE if p.get("method", "GET") == "GET" else EXTERNAL,
    describe=lambda p: (
        f"API 呼び出し: {p.get('method', 'GET')} {p.get('target')} {p.get('path', '/')}"
    ),
)
def http_call(ctx, target, path="/", method="GET", json=None, params=None, bearer_secret=None):
    import requests

    url = ctx.target_url(target, path)
    headers = {"Authorization": f"Bearer {ctx.secret(bearer_secret)}"} if bearer_secret else {}
    try:
        response = requests.request(
            method, url, json=json, params=params, headers=headers, timeout=30
        )
    except requests.RequestException as error:
        raise NotApplied(f"API に接続できません: {error}") from None
    if response.status_code >= 500:
        raise NotApplied(f"API が応答しません(HTTP {response.status_code}): {response.url}")
    if response.status_code >= 400:
        raise BusinessError(
            f"API がエラーを返しました(HTTP {response.status_code}): {response.url}"
        )
    try:
        return response.json()
    except ValueError:
        return response.text
