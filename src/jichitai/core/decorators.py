"""Markers on views that the request pipeline reads (the tenant middleware, the second-factor
gate, the tenant-isolation walk). They live here, at the bottom, so every app can mark its views
without depending on the app that enforces the mark."""


def public_view(view_func):
    """Marks a view that anyone may see (public portal pages, health checks). Such views show only
    published information and are left out of the tenant-isolation walk."""
    view_func.public_view = True
    return view_func


def is_public_view(view_func) -> bool:
    return getattr(view_func, "public_view", False)
