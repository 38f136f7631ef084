"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """Keeps ``django.request``'s one line for a 4xx answer (a refused page: 403, 400) but drops the traceback
    Django attaches to it: refusing a request is not a fault of the program. 5xx lines keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
