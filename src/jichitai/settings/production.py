"""Production settings: PostgreSQL, Redis-backed tasks, HTTPS-only cookies. Every secret comes from the
environment; see docs/production.md."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
# The automation secrets vault's keys: required (the first encrypts; older ones still decrypt).
JICHITAI_VAULT_KEYS = env.list("JICHITAI_VAULT_KEYS")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# The demo shortcut is never available here, whatever the environment says.
JICHITAI_DEMO_LOGIN_WITHOUT_OTP = False
JICHITAI_ENVIRONMENT = "production"
# What every worker reads on its first request (the catalog's facet matrix) read once by gunicorn's
# master before it forks them (core.serving).
JICHITAI_WARM_UP_BEFORE_SERVING = True

# Rate-limit counters must be shared by all gunicorn workers and machines.
# Django's own Redis backend (rediscache://); database 1 keeps them apart from the task queue.
CACHES = {"default": env.cache_url("CACHE_URL", default="rediscache://127.0.0.1:6379/1")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same backend, with one Redis client per process instead of one per call.
    CACHES["default"]["BACKEND"] = "jichitai.core.redis_cache.RedisCache"

# Mail leaves through SMTP (EMAIL_HOST, EMAIL_PORT …, see base.py); a deploy check refuses backends
# that keep it on the machine.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
