"""The GET filter forms of the two log pages; their ``cleaned_data`` feeds the selectors."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _date_input() -> forms.DateInput:
    # A dd/mm/yyyy text box rather than the native picker, whose order follows
    # the browser's language (mm/dd/yyyy on an English browser) — the same
    # choice as the people forms. ISO dates in a pasted URL are accepted too.
    return forms.DateInput(format="%d/%m/%Y", attrs={
        "placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off", "size": 10})


def object_type_choices() -> list[tuple[str, str]]:
    """Every model of our own apps, as stored in ``object_type`` (``people.person``).

    Taken from the app registry, not from the log, so the list costs no query
    however long the log grows.
    """
    choices = [
        (model._meta.label_lower, capfirst(str(model._meta.verbose_name)))
        for model in apps.get_models()
        if model.__module__.startswith("ctxh.")
    ]
    return [("", gettext("— Tất cả —")), *sorted(choices, key=lambda c: c[1])]


class _LogFilterForm(forms.Form):
    actor = forms.CharField(label=_("Người thực hiện"), required=False,
                            widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    person_id = forms.IntegerField(label=_("Mã đối tượng (người)"), required=False, min_value=1)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=_date_input())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    @property
    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid one is dropped rather than hiding the whole log."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}


class AuditFilterForm(_LogFilterForm):
    action = forms.CharField(label=_("Hành động (bắt đầu bằng)"), required=False,
                             widget=forms.TextInput(attrs={"placeholder": "person.", "autocomplete": "off"}))
    object_type = forms.ChoiceField(label=_("Loại đối tượng"), required=False,
                                    widget=forms.Select(attrs={"style": "max-width:100%"}))

    field_order = ["actor", "action", "object_type", "person_id", "date_from", "date_to"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["object_type"]).choices = object_type_choices()


class AccessFilterForm(_LogFilterForm):
    break_glass = forms.BooleanField(label=_("Chỉ truy cập khẩn cấp"), required=False)
