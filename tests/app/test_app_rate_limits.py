"""Sign-in is rate limited, in memory for one process or in Redis for several."""

import pytest
import redis


def _redis_up() -> bool:
    try:
        return redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.parametrize("storage", ["memory://", "redis://127.0.0.1:6379/15"])
def test_eleventh_sign_in_attempt_in_a_minute_is_refused(other_app, storage):
    if storage.startswith("redis"):
        assert _redis_up(), "Redis must run on 127.0.0.1:6379 (CI and dev machines have it)"
        redis.Redis(host="127.0.0.1", port=6379, db=15).flushdb()
    app = other_app(ratelimit_storage_uri=storage,
                    extra={"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True})
    web = app.test_client()
    codes = [web.post("/login", data={"email": "a@example.org", "password": "x"}).status_code
             for _ in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429
    assert "Too many attempts" in web.post("/login", data={}).get_data(as_text=True)
    second = other_app(ratelimit_storage_uri=storage,
                       extra={"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True})
    status = second.test_client().post("/login", data={"email": "a@example.org"}).status_code
    # Another process shares the count only through Redis.
    assert status == (429 if storage.startswith("redis") else 200)
