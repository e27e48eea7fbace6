"""Vietnamese text folding: the one way names are compared and searched.

Folding lower-cases, maps đ/Đ to d (NFKD does not decompose it), drops the
combining marks, and collapses white space, so "Đặng  Thị Ngọc Hân" and
"dang thi ngoc han" fold to the same string.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z ]+")


def unaccent(value: str) -> str:
    """Remove Vietnamese diacritics, keeping case (the SQL ``unaccent``)."""
    if not value:
        return ""
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(value: str | None) -> str:
    """Fold a name or query for search: no marks, lower case, single spaces."""
    if not value:
        return ""
    folded = unaccent(value).lower()
    folded = _NON_WORD.sub(" ", folded)
    return _SPACES.sub(" ", folded).strip()


def normalize_name(value: str | None) -> str:
    """Tidy a typed name: NFC, single spaces, each word capitalised."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", _SPACES.sub(" ", value).strip())
    return " ".join(word[:1].upper() + word[1:].lower() for word in value.split(" "))


def given_name(full_name: str) -> str:
    """The given name is the last word; Vietnamese lists sort by it."""
    parts = full_name.split()
    return parts[-1] if parts else ""


def digits(value: str | None) -> str:
    """Keep only the digits of a phone or ID number as typed."""
    return re.sub(r"\D", "", value or "")


def normalize_phone(value: str | None) -> str:
    """Phone numbers are stored as digits with the national 0 prefix."""
    number = digits(value)
    if number.startswith("84") and len(number) >= 11:
        number = "0" + number[2:]
    return number
