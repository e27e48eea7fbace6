"""The referral letter (giấy chuyển gửi), rendered to PDF by WeasyPrint.

It carries the Centre's header, the provider it is addressed to, the person's
minimum data, what is needed, the referring worker's contact and — printed
right after a link is issued — the one-time link through which the provider
answers. Printing is written to the access log (purpose ``print``).
Fonts as in ``ctxh.cases.pdf`` (Noto / DejaVu, which draw Vietnamese marks).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ctxh.referrals import selectors
from ctxh.referrals.models import Referral

PRINT_PURPOSE = "print"


def letter_html(*, user: Any, pk: Any, token: str = "", base_url: str = "") -> tuple[Referral, str]:
    """The letter as HTML; 404 outside the user's referrals; logged as a print.

    ``token``: a link's token, printed only if it opens an active link of this referral.
    """
    referral = selectors.referral_open_for_read(user=user, pk=pk, purpose=PRINT_PURPOSE)
    url = ""
    if token:
        link = selectors.link_by_token(token)
        if link is not None and link.referral_id == referral.pk and link.is_active:
            url = base_url.rstrip("/") + reverse("referrals:link", kwargs={"token": token})
    context = {
        **selectors.provider_view(referral),
        "link_url": url,
        "printed_at": timezone.localtime(),
        "printed_by": user,
        "has_account": referral.provider.organization_id is not None,
    }
    return referral, render_to_string("referrals/pdf/letter.html", context)


def letter_pdf(*, user: Any, pk: Any, token: str = "", base_url: str = "") -> tuple[Referral, bytes]:
    from weasyprint import HTML  # imported here: loading Pango costs time every page does not need

    referral, html = letter_html(user=user, pk=pk, token=token, base_url=base_url)
    return referral, HTML(string=html).write_pdf()
