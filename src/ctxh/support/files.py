"""Scanned receipts (biên nhận): kept under MEDIA_ROOT/support with a random name.

The same types and size limit as case attachments (``CTXH_CASE_ATTACHMENT_*``
settings); the directory is never served by the web server, a view hands a
file out after the selector says the user may see the record.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ctxh.cases.services import ATTACHMENT_TYPES, attachment_extensions, attachment_max_bytes

FOLDER = "support"


def folder() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def proof_path(obj: Any) -> Path:
    return folder() / obj.proof_stored


def store_proof(obj: Any, file: Any, field: str = "proof_file") -> Path:
    """Write ``file`` (an UploadedFile) and fill the ``proof_*`` fields of ``obj`` (not saved).

    Returns the path written, for the caller to remove if its transaction
    fails. Raises ValidationError on ``field`` for a wrong type, size or content.
    """
    name = Path(getattr(file, "name", "") or "").name[:200]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = [e for e in attachment_extensions() if e in ATTACHMENT_TYPES]
    if ext not in allowed:
        raise ValidationError({field: [_("Chỉ nhận tệp %(types)s.") % {"types": ", ".join(sorted(set(allowed)))}]})
    limit = attachment_max_bytes()
    too_big = _("Tệp lớn hơn %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError({field: [too_big]})
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(20)
    path = target / stored
    digest = hashlib.sha256()
    written = 0
    head = b""
    try:
        with path.open("xb") as out:
            chunks = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(64 * 1024), b"")
            for chunk in chunks:
                if len(head) < 16:
                    head += chunk[:16]
                written += len(chunk)
                if written > limit:
                    raise ValidationError({field: [too_big]})
                digest.update(chunk)
                out.write(chunk)
        if written == 0:
            raise ValidationError({field: [_("Tệp rỗng.")]})
        if not any(head.startswith(sig) for sig in ATTACHMENT_TYPES[ext][1]):
            raise ValidationError({field: [_("Nội dung tệp không đúng với loại %(ext)s.") % {"ext": ext}]})
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    obj.proof_name = name
    obj.proof_stored = stored
    obj.proof_content_type = ATTACHMENT_TYPES[ext][0]
    obj.proof_size = written
    obj.proof_sha256 = digest.hexdigest()
    return path
