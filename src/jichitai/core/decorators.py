"""Markers on views that the request pipeline reads (the tenant middleware, the second-factor
gate, the tenant-isolation walk). They live here, at the bottom, so every app can mark its views
without depending on the app that enforces the mark."""

from collections.abc import Callable
from typing import Any, TypeVar

View = TypeVar("View", bound=Callable[..., Any])


def public_view(view_func: View) -> View:
    """Marks a view that anyone may see (public portal pages, health checks). Such views show only
    published information and are left out of the tenant-isolation walk."""
    view_func.public_view = True  # type: ignore[attr-defined]  # a marker attribute on the function
    return view_func


def is_public_view(view_func: Callable[..., Any]) -> bool:
    return getattr(view_func, "public_view", False)
