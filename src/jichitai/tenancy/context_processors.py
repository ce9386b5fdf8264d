from jichitai.tenancy import selectors


def tenant(request):
    """The organization the page acts for and the other organizations the user may switch to."""
    user = getattr(request, "user", None)
    memberships = (
        list(selectors.memberships_of(user)) if user is not None and user.is_authenticated else []
    )
    return {
        "tenant": getattr(request, "tenant", None),
        "membership": getattr(request, "membership", None),
        "my_memberships": memberships,
    }
