import pytest
from django.core.cache import cache
from django.test import Client

from jichitai.core.ratelimit import Rate


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_rates_parse():
    assert Rate.parse("10/m") == Rate(10, 60)
    assert Rate.parse("20/10m") == Rate(20, 600)
    assert Rate.parse("5/s") == Rate(5, 1)


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_slowed_down():
    client = Client(REMOTE_ADDR="192.0.2.44")
    for number in range(20):
        response = client.post(
            "/accounts/login/", {"username": f"user{number}", "password": "wrong"}
        )
        assert response.status_code == 200
    refused = client.post("/accounts/login/", {"username": "user99", "password": "wrong"})
    assert refused.status_code == 429
    assert "分ほど待ってから" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    # Another address is not affected, nor is merely showing the page.
    assert (
        Client(REMOTE_ADDR="192.0.2.45")
        .post("/accounts/login/", {"username": "x", "password": "y"})
        .status_code
        == 200
    )
    assert client.get("/accounts/login/").status_code == 200


@pytest.fixture
def redis_cache(settings):
    """The production cache (Redis), with the commands sent to it counted."""
    import redis
    from redis.connection import Connection

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/13").ping()
    except redis.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "jichitai.core.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/13",
        }
    }
    sent = []
    original = Connection.send_packed_command

    def send(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health)

    Connection.send_packed_command = send
    try:
        yield sent
    finally:
        Connection.send_packed_command = original


def test_on_redis_a_request_is_counted_in_one_round_trip_by_one_client(redis_cache):
    """The production cache: one Redis client per process, and the window's count created with its
    expiry and incremented in one command."""
    import uuid

    from django.core.cache import caches

    from jichitai.core.ratelimit import Rate, hit

    client = caches["default"]._cache.get_client(write=True)
    assert caches["default"]._cache.get_client() is client
    hit("test", str(uuid.uuid4()), Rate.parse("2/m"))  # the server learns the script
    redis_cache.clear()
    client_address = str(uuid.uuid4())
    answers = [hit("test", client_address, Rate.parse("2/m")) for _ in range(3)]
    assert answers[:2] == [None, None] and 0 < answers[2] <= 60
    assert len(redis_cache) == 3


def test_on_redis_a_request_is_counted_and_another_key_read_in_one_round_trip(redis_cache):
    """The submission API reads the published procedures' version with its rate limit's count:
    one round trip for both, the value as the cache stored it, None for a key not there."""
    import uuid

    from django.core.cache import cache

    from jichitai.core.ratelimit import Rate, hit_reading

    stored = f"tests:read:{uuid.uuid4()}"
    cache.set(stored, "版-1", timeout=60)
    hit_reading("test", str(uuid.uuid4()), Rate.parse("1/m"), read=stored)
    redis_cache.clear()
    client_address = str(uuid.uuid4())
    rate = Rate.parse("1/m")
    assert hit_reading("test", client_address, rate, read=stored) == (None, "版-1")
    retry_after, value = hit_reading("test", client_address, rate, read=f"{stored}:missing")
    assert 0 < retry_after <= 60 and value is None
    assert len(redis_cache) == 2


def test_a_redis_server_that_lost_the_script_is_given_it_again(redis_cache):
    """After a restart Redis knows no scripts: the count is still taken, not refused."""
    import uuid

    import redis

    from jichitai.core.ratelimit import Rate, hit

    client_address = str(uuid.uuid4())
    assert hit("test", client_address, Rate.parse("2/m")) is None
    redis.Redis.from_url("redis://127.0.0.1:6379/13").script_flush()
    assert hit("test", client_address, Rate.parse("2/m")) is None
    assert hit("test", client_address, Rate.parse("2/m")) > 0


def test_elsewhere_the_other_key_is_read_from_the_cache(settings):
    from django.core.cache import cache

    from jichitai.core.ratelimit import Rate, hit_reading

    cache.set("tests:read", {"版": 2}, timeout=60)
    assert hit_reading("test", "192.0.2.7", Rate.parse("1/m"), read="tests:read") == (
        None,
        {"版": 2},
    )
    assert hit_reading("test", "192.0.2.7", Rate.parse("1/m"))[0] > 0
