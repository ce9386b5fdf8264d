"""A small legacy-style web system (a stand-in for a vendor system without an API) that the
automation module's 転記 scenario drives in a real browser: its own login, HTML forms in
Shift_JIS, a 確認 page, and a registration number. Standard library only.

Run it with ``python -m legacy_system`` (127.0.0.1:8199) or start it in a thread from tests with
``LegacyServer(port=0).start()``."""

from legacy_system.server import LegacyServer, serve

__all__ = ["LegacyServer", "serve"]
