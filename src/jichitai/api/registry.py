"""The routers mounted on the platform's API: each app registers its django-ninja routers here (in
its ``registrations.py``) and the API root mounts what is registered, in registration order."""

from dataclasses import dataclass

from ninja import Router

from jichitai.core.registry import Registry


@dataclass(frozen=True)
class ApiRouter:
    prefix: str  # under /api/, e.g. "/v1/"; routers under "/v1/staff/" need an organization token
    router: Router


routers: Registry[ApiRouter] = Registry("API routers")
