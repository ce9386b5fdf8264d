"""The warm-ups a server runs before serving (``core.serving``): every registered one runs, one
the database cannot serve yet does not stop the server from starting, and no connection is left
open for forked workers to inherit."""

import pytest
from django.db import ProgrammingError, connection

from jichitai.core import serving
from jichitai.core.registry import serving_warmups

pytestmark = pytest.mark.django_db


@pytest.fixture
def ran(monkeypatch) -> list[str]:
    ran: list[str] = []

    def unmigrated() -> None:
        ran.append("unmigrated")
        raise ProgrammingError('relation "missing" does not exist')

    def reads() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        ran.append("reads")

    monkeypatch.setattr(serving_warmups, "_entries", {"unmigrated": unmigrated, "reads": reads})
    return ran


def test_every_warm_up_runs_and_the_connections_are_closed_after(ran, monkeypatch, settings):
    settings.JICHITAI_WARM_UP_BEFORE_SERVING = True
    closed: list[bool] = []
    monkeypatch.setattr(serving.connections, "close_all", lambda: closed.append(True))

    serving.warm_up()

    assert ran == ["unmigrated", "reads"]
    assert closed == [True]


def test_a_warm_up_that_is_not_a_database_error_stops_the_start(monkeypatch, settings):
    settings.JICHITAI_WARM_UP_BEFORE_SERVING = True

    def broken() -> None:
        raise ValueError("a bug, not a database that is not ready")

    monkeypatch.setattr(serving_warmups, "_entries", {"broken": broken})
    monkeypatch.setattr(serving.connections, "close_all", lambda: None)
    with pytest.raises(ValueError):
        serving.warm_up()


def test_nothing_is_warmed_up_where_the_settings_do_not_ask_for_it(ran, settings):
    settings.JICHITAI_WARM_UP_BEFORE_SERVING = False
    serving.warm_up()
    assert ran == []


def test_the_open_data_catalog_registers_its_facet_matrix():
    assert "opendata.facet_matrix" in serving_warmups
