"""Support pages, one module per concept; thin: forms parse, selectors read (scoped), services write."""

from ctxh.support.views.donations import (
    allocation_cancel,
    allocation_create,
    allocation_proof,
    donation_create,
    donation_detail,
    donation_list,
    donor_create,
    donor_edit,
)
from ctxh.support.views.grants import (
    grant_create,
    grant_detail,
    grant_list,
    grant_proof,
    grant_receipt,
    grant_suggest,
    household_search,
)
from ctxh.support.views.needs import need_create, need_list, need_move
from ctxh.support.views.person import person_support
from ctxh.support.views.surveys import (
    survey_create,
    survey_detail,
    survey_export,
    survey_import,
    survey_list,
    survey_quick,
    survey_report,
    survey_template,
)

__all__ = [
    "allocation_cancel", "allocation_create", "allocation_proof", "donation_create", "donation_detail",
    "donation_list", "donor_create", "donor_edit", "grant_create", "grant_detail", "grant_list", "grant_proof",
    "grant_receipt", "grant_suggest", "household_search", "need_create", "need_list", "need_move",
    "person_support", "survey_create", "survey_detail", "survey_export", "survey_import", "survey_list",
    "survey_quick", "survey_report", "survey_template",
]
