import os

import django

from jichitai.core.handlers import PathDispatchingWSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jichitai.settings.production")

# As django.core.wsgi.get_wsgi_application, with the handler that serves /api/ through its own
# middleware.
django.setup(set_prefix=False)
application = PathDispatchingWSGIHandler()
