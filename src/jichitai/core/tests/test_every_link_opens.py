"""Every link and button a member of staff is shown works for them.

A page decides what to show from the member's role, and the view a link or a button leads to
decides again whom it lets in; when the two disagree, a 閲覧のみ member follows a link to 「403
Forbidden」. This walks the demo's staff pages as each demo login would, following every link under
/s/, and asks that none of them is refused, missing or broken, and that every form the pages show
posts to a view the login's role may use (posting them would change the demo, so the view's
declared least role is read instead)."""

import re
from collections import deque

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import resolve

from jichitai.conftest import verified_client
from jichitai.demo.foundation import DEMO_STAFF
from jichitai.tenancy.models import ROLE_RANK, Role

LINK = re.compile(r'href="(/s/[^"#]*)"')
POSTED_TO = re.compile(
    r'<form[^>]*method="post"[^>]*action="(/s/[^"#?]*)|formaction="(/s/[^"#?]*)"'
)
# Files, exports and downloads answer with what they hold, not with a page of links.
NOT_A_PAGE = re.compile(r"\.(csv|xlsx|pdf|zip|json|png)$|/(export|download|file|attachment)")


def _pages_of(client, start: str, *, limit: int = 200) -> tuple[dict[str, int], set[str]]:
    """The status of each staff page reachable from ``start``, one page per URL shape (ids
    folded), so a list of a hundred rows costs one visit; and where their forms post."""
    statuses: dict[str, int] = {}
    posted_to: set[str] = set()
    shapes: set[str] = set()
    queue = deque([start])
    while queue and len(statuses) < limit:
        url = queue.popleft()
        shape = re.sub(r"\d+", "N", url)
        if shape in shapes:
            continue
        shapes.add(shape)
        response = client.get(url, follow=True)  # /s/ leads on to the member's home
        statuses[url] = response.status_code
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            html = response.content.decode()
            posted_to.update(
                action for pair in POSTED_TO.findall(html) for action in pair if action
            )
            for link in LINK.findall(html):
                link = link.replace("&amp;", "&")
                if not NOT_A_PAGE.search(link.split("?")[0]):
                    queue.append(link)
    return statuses, posted_to


def _least_role(url: str) -> str:
    return getattr(resolve(url).func, "required_role", Role.VIEWER)


@pytest.mark.django_db
@pytest.mark.parametrize("staff", DEMO_STAFF, ids=lambda staff: staff.username)
def test_no_link_shown_to_a_member_is_refused_to_them(staff):
    call_command("demo", quiet_logins=True)
    client = verified_client(get_user_model().objects.get(username=staff.username))

    statuses, posted_to = _pages_of(client, f"/s/{staff.organization_code}/")

    refused = {url: status for url, status in statuses.items() if status != 200}
    assert refused == {}, f"{staff.username} ({staff.role}) follows links that do not open"
    assert len(statuses) > 10
    beyond_role = {
        url: _least_role(url)
        for url in posted_to
        if ROLE_RANK[Role(_least_role(url))] > ROLE_RANK[Role(staff.role)]
    }
    assert beyond_role == {}, f"{staff.username} ({staff.role}) is shown forms it may not send"
