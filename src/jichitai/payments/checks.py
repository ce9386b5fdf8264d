from django.core.checks import Error, Tags, register

from jichitai.payments.gateway import gateway_settings, secret_problem


@register(Tags.security, deploy=True)
def gateway_secret_is_strong(app_configs, **kwargs):
    """A gateway meant to be on (its URL or a secret is set) needs a strong secret: with a weak or
    empty one anybody could sign a notification that marks a payment 支払済. Without either
    setting the gateway is off and only 納付書 and 消込 are offered."""
    gateway = gateway_settings()
    secret = gateway.get("secret", "")
    if not (gateway.get("url") or secret):
        return []
    problem = secret_problem(secret)
    if problem is None:
        return []
    return [
        Error(
            f"The online payment gateway is configured but cannot be trusted: {problem}",
            hint="Set PAYMENT_GATEWAY_SECRET to the gateway's shared secret, at least 32 random "
            "bytes (python -c 'import secrets; print(secrets.token_urlsafe(32))'), or unset "
            "PAYMENT_GATEWAY_URL and PAYMENT_GATEWAY_SECRET to turn the gateway off.",
            id="jichitai.E002",
        )
    ]
