"""A kept PostgreSQL connection is checked before each request without a query: a healthy idle
connection passes, one the server has ended does not (and is then opened again)."""

import time

import psycopg
import pytest
from django.db import connections

from jichitai.core.postgresql.base import DatabaseWrapper

SERVER = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres"}


def _server_or_skip() -> psycopg.Connection:
    try:
        return psycopg.connect(**SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")


def test_an_idle_connection_is_usable_until_the_server_ends_it(django_db_blocker):
    admin = _server_or_skip()
    wrapper = DatabaseWrapper(
        {
            **connections["default"].settings_dict,
            "ENGINE": "jichitai.core.postgresql",
            "NAME": SERVER["dbname"],
            "USER": SERVER["user"],
            "PASSWORD": "",
            "HOST": SERVER["host"],
            "PORT": SERVER["port"],
            "OPTIONS": {},
        },
        alias="health-check",
    )
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        assert wrapper.is_usable()
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 5
        while wrapper.is_usable() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not wrapper.is_usable()
    finally:
        wrapper.close()
        admin.close()
