"""The link to an application's status page, given with every API submission, is the one
``reverse`` gives, under any script prefix and for any receipt number or token."""

from types import SimpleNamespace

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from jichitai.core.links import absolute_url
from jichitai.procedures.notifications import status_url


def application(receipt_number: str, token: str):
    return SimpleNamespace(
        organization=SimpleNamespace(code="242012"),
        receipt_number=receipt_number,
        status_token=token,
    )


@pytest.mark.parametrize("prefix", ["/", "/jichitai/"])
@pytest.mark.parametrize(
    ("receipt_number", "token"),
    [
        ("242012-2026-000123", "Ab_3-xYz9"),
        ("242012-2026-1234567", "-_-"),
        ("紙-2026-1", "トークン"),  # quoted by reverse
        ("242012.2026", "a b?c"),
    ],
)
def test_the_status_link_is_the_one_reverse_gives(prefix, receipt_number, token):
    set_script_prefix(prefix)
    try:
        expected = absolute_url(
            reverse(
                "procedures_public:status",
                kwargs={"org_code": "242012", "receipt_number": receipt_number, "token": token},
            )
        )
        assert status_url(application(receipt_number, token)) == expected
    finally:
        clear_script_prefix()
