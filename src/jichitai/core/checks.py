from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_shortcuts_are_off(app_configs, **kwargs):
    """The demo's login without a second factor must never reach a deployment."""
    if getattr(settings, "JICHITAI_DEMO_LOGIN_WITHOUT_OTP", False):
        return [
            Error(
                "JICHITAI_DEMO_LOGIN_WITHOUT_OTP is on: demo accounts could log in without a second "
                "factor.",
                hint="Use jichitai.settings.production, which forces it off.",
                id="jichitai.E001",
            )
        ]
    return []
