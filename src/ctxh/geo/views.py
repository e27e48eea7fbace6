from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ctxh.geo.selectors import commune_list


def commune_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of a province's communes, swapped in by htmx."""
    try:
        code = int(request.GET.get("province") or 0)
    except ValueError:
        code = 0
    return render(
        request,
        "geo/commune_options.html",
        {"communes": commune_list(province_code=code), "selected": request.GET.get("commune", "")},
    )
