"""The online payment gateway's configuration. The gateway exists only when both its payment page
and a strong shared secret are configured: the secret is all that tells a genuine notification
("this 納付番号 has been paid") from a forged one."""

from django.conf import settings

# 32 bytes, the size of the HMAC-SHA256 output; a secret of few distinct characters (a placeholder,
# a repeated character) is not random whatever its length.
MIN_SECRET_BYTES = 32
MIN_DISTINCT_CHARACTERS = 8


class GatewayUnavailable(Exception):
    pass


def gateway_settings() -> dict:
    return settings.JICHITAI_PAYMENT_GATEWAY


def secret_problem(secret: str) -> str | None:
    """Why ``secret`` cannot sign payments, or None when it can."""
    if not secret:
        return "PAYMENT_GATEWAY_SECRET is not set."
    if len(secret.encode()) < MIN_SECRET_BYTES:
        return f"PAYMENT_GATEWAY_SECRET is shorter than {MIN_SECRET_BYTES} bytes."
    if len(set(secret)) < MIN_DISTINCT_CHARACTERS:
        return "PAYMENT_GATEWAY_SECRET does not look random (too few distinct characters)."
    return None


def is_configured() -> bool:
    gateway = gateway_settings()
    return bool(gateway.get("url")) and secret_problem(gateway.get("secret", "")) is None


def secret() -> str:
    """The shared secret, only when the gateway is configured."""
    if not is_configured():
        raise GatewayUnavailable("the online payment gateway is not configured")
    return gateway_settings()["secret"]
