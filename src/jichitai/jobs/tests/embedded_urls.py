"""The project's URLs plus ``/slow/``: a page that answers only once the test releases it (a file
appears), standing for any request that takes long (a large export, a slow search)."""

import time

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

from jichitai.core.decorators import public_view
from jichitai.urls import urlpatterns as project_urlpatterns


@public_view
def slow(request):
    (settings.VAR_DIR / "slow-started").touch()
    deadline = time.monotonic() + 60
    while not (settings.VAR_DIR / "slow-release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return HttpResponse("slow page")


urlpatterns = [*project_urlpatterns, path("slow/", slow)]
