"""``jichitai token create|list|revoke``: an operator makes an API token at the server; the token is
alone on the last line, so a script can take it with ``tail -n 1``."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jichitai.accounts import selectors

pytestmark = pytest.mark.django_db


def run(*arguments) -> list[str]:
    out = StringIO()
    call_command("token", *arguments, stdout=out)
    return out.getvalue().splitlines()


def test_create_prints_a_working_token_alone_on_the_last_line(tsu, tsu_clerk):
    lines = run(
        "create",
        "--organization",
        tsu.code,
        "--user",
        tsu_clerk.username,
        "--role",
        "clerk",
        "--name",
        "ハーベスター",
    )
    raw = lines[-1]
    principal = selectors.principal_for_token(raw)
    assert principal is not None
    assert principal.organization == tsu and principal.role == "clerk"

    listed = run("list", "--organization", tsu.code)
    assert len(listed) == 1 and raw.split(".")[0] in listed[0] and "有効" in listed[0]

    run("revoke", "--organization", tsu.code, raw.split(".")[0])
    assert selectors.principal_for_token(raw) is None
    assert "失効" in run("list", "--organization", tsu.code)[0]


def test_a_role_above_the_users_own_or_a_stranger_is_refused(tsu, ise, tsu_clerk):
    with pytest.raises(CommandError, match="権限"):
        run(
            "create",
            "--organization",
            tsu.code,
            "--user",
            tsu_clerk.username,
            "--role",
            "admin",
            "--name",
            "x",
        )
    with pytest.raises(CommandError, match="所属"):
        run("create", "--organization", ise.code, "--user", tsu_clerk.username, "--name", "x")
    with pytest.raises(CommandError, match="団体コード"):
        run("list", "--organization", "999999")
