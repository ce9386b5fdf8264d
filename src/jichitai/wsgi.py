import os

import django
from django.conf import settings
from django.urls import get_resolver
from django.utils import translation

from jichitai.core.handlers import PathDispatchingWSGIHandler
from jichitai.core.serving import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jichitai.settings.production")

# As django.core.wsgi.get_wsgi_application, with the handler that serves /api/ through its own
# middleware.
django.setup(set_prefix=False)
application = PathDispatchingWSGIHandler()

# The URL patterns (and with them every view module) imported and indexed for reversing here,
# once, before gunicorn forks its workers (``--preload``), instead of by each worker's first
# request; in the site's language, whose catalogue is then loaded too.
with translation.override(settings.LANGUAGE_CODE):
    _reverse_index = get_resolver().reverse_dict

# What the apps hold for every request (the open data catalog's facet matrix), read here too.
warm_up()
