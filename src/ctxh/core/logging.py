"""Log filters: a one-time link's secret never reaches a log file."""

from __future__ import annotations

import logging
import re

# /referrals/r/<token>/ — whoever reads the log could otherwise answer the referral.
_SECRET_PATHS = re.compile(r"(/referrals/r/)[^/\s?'\"]+")


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SECRET_PATHS.sub(r"\1…", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
