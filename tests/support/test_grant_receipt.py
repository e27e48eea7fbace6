"""Proof of receipt: who signed, when, the receipt number and a scan kept outside the static files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ctxh.core.exceptions import ConflictError
from ctxh.support import files, services

D = dt.date
PDF = b"%PDF-1.7\n" + b"0" * 300


def test_it_records_the_receipt_and_keeps_the_scan_under_media(record_grant, cast, people, media):
    grant = record_grant(person=people["han"])
    done = services.grant_receipt_record(actor=cast.caseworker, grant=grant, received_by="Đặng Thị Ngọc Hân",
                                         received_on=D(2025, 3, 12), receipt_number="BN-017",
                                         proof_file=SimpleUploadedFile("bien-nhan.pdf", PDF),
                                         expected_version=grant.version)
    assert done.has_receipt and done.receipt_number == "BN-017" and done.version == 2
    path = files.proof_path(done)
    assert path.parent == media / "support" and path.read_bytes() == PDF
    assert done.proof_name == "bien-nhan.pdf" and len(done.proof_sha256) == 64


def test_a_file_that_is_not_what_it_says_is_refused_and_not_kept(record_grant, cast, people, media):
    grant = record_grant(person=people["han"])
    with pytest.raises(ValidationError) as exc:
        services.grant_receipt_record(actor=cast.caseworker, grant=grant, received_by="Hân", received_on=D(2025, 3, 12),
                                      proof_file=SimpleUploadedFile("bien-nhan.pdf", b"MZ not a pdf at all"))
    assert "proof_file" in exc.value.message_dict
    assert not any((media / "support").glob("*"))


def test_a_receipt_before_the_support_was_given_is_refused(record_grant, cast, people):
    grant = record_grant(person=people["han"], given_on=D(2025, 3, 10))
    with pytest.raises(ValidationError) as exc:
        services.grant_receipt_record(actor=cast.caseworker, grant=grant, received_by="Hân", received_on=D(2025, 3, 1))
    assert "trước ngày hỗ trợ" in exc.value.message_dict["received_on"][0]


def test_two_people_editing_the_receipt_conflict(record_grant, cast, people):
    grant = record_grant(person=people["han"])
    services.grant_receipt_record(actor=cast.caseworker, grant=grant, received_by="Hân", received_on=D(2025, 3, 12),
                                  expected_version=1)
    with pytest.raises(ConflictError) as exc:
        services.grant_receipt_record(actor=cast.director, grant=grant, received_by="Người khác",
                                      received_on=D(2025, 3, 13), expected_version=1)
    assert "người khác cập nhật" in exc.value.message
