import logging

from jichitai.core import context


class RequestContextFilter(logging.Filter):
    """Adds the request id and client address to every log record, so a line can be traced back to
    the request (and the audit entries) that produced it."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = context.current()
        record.request_id = current.request_id
        record.client_ip = current.ip_address
        return True
