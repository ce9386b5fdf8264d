"""Django's PostgreSQL backend, with a connection health check that sends nothing.

Django checks a kept connection before the first query of each request with ``SELECT 1``: a round
trip on every request. Here the check asks the socket instead: an idle connection the server has
closed or is closing (a restart, an idle timeout, a killed backend) has something to read (the
server's farewell message, or the end of the stream), while a healthy idle connection has nothing.
A connection that fails in between still fails its query, as it would after a ``SELECT 1``.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
