"""One transaction per user action, opened only for requests that may write: a read takes no
lock, a write is all or nothing."""

import io

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from jichitai.core.middleware import WriteTransactionMiddleware
from jichitai.tenancy.models import Organization


def through_middleware(method: str, view):
    """What the middleware does with ``view``: ``None`` when Django is to call it as usual."""
    request = RequestFactory().generic(method, "/")
    return WriteTransactionMiddleware(lambda request: None).process_view(request, view, (), {})


def writes_then(outcome):
    def view(request):
        assert connection.in_atomic_block
        Organization.objects.create(code="242021", name="四日市市", name_kana="よっかいちし")
        return outcome()

    return view


@pytest.mark.django_db(transaction=True)
class TestWriteTransactionMiddleware:
    @pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
    def test_a_read_opens_no_transaction(self, method):
        assert through_middleware(method, writes_then(HttpResponse)) is None

    def test_a_write_commits_as_one_transaction(self):
        response = through_middleware("POST", writes_then(HttpResponse))
        assert response.status_code == 200
        assert Organization.objects.filter(code="242021").exists()

    def test_a_failing_write_leaves_nothing_behind(self):
        def fail():
            raise RuntimeError("途中で失敗")

        with pytest.raises(RuntimeError):
            through_middleware("POST", writes_then(fail))
        assert not Organization.objects.filter(code="242021").exists()

    def test_a_view_that_manages_its_own_transaction_is_left_to_it(self):
        view = transaction.non_atomic_requests(writes_then(HttpResponse))
        assert through_middleware("POST", view) is None


class TrickledBody(io.BytesIO):
    """A request body that notes whether it was read inside a transaction (it arrives at the
    client's pace: a slow upload must not hold the database's write lock)."""

    read_in_transaction = None

    def read(self, *args):
        if self.read_in_transaction is None:
            self.read_in_transaction = connection.in_atomic_block
        return super().read(*args)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("content_type", "body"),
    [("application/json", b'{"a": 1}'), ("application/x-www-form-urlencoded", b"a=1")],
)
def test_a_writing_request_is_received_in_full_before_its_transaction_opens(content_type, body):
    request = RequestFactory().post("/", data=body, content_type=content_type)
    request._stream = trickled = TrickledBody(body)

    def view(request):
        assert request.body == body
        return writes_then(HttpResponse)(request)

    response = WriteTransactionMiddleware(lambda request: None).process_view(request, view, (), {})
    assert response.status_code == 200
    assert trickled.read_in_transaction is False
