"""Attachments: type and size limits, stored outside the web root, handed out only to those who see the case."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import override_settings

from ctxh.audit.models import AccessEntry
from ctxh.cases import selectors, services
from ctxh.cases.models import Attachment

PDF = b"%PDF-1.7\n" + b"0" * 200


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def test_it_keeps_a_pdf_under_a_random_name_outside_the_static_files(cast, assigned_case, media, settings):
    case = assigned_case()
    att = services.attachment_add(actor=cast.caseworker, case=case,
                                  file=SimpleUploadedFile("Biên bản xác minh.pdf", PDF), description="Mẫu 02")
    path = Path(media) / "cases" / att.stored_name
    assert path.read_bytes() == PDF
    assert att.stored_name not in att.original_name and "." not in att.stored_name and len(att.stored_name) == 40
    assert att.original_name == "Biên bản xác minh.pdf" and att.content_type == "application/pdf"
    assert not str(path).startswith(str(settings.STATIC_ROOT))


@pytest.mark.parametrize(("name", "content"), [
    ("script.exe", b"MZ\x90\x00"), ("anh.gif", b"GIF89a"), ("gia-mao.pdf", b"MZ not a pdf"),
    ("khong-duoi", PDF), ("rong.png", b""),
])
def test_it_refuses_other_types_and_disguised_files(cast, assigned_case, media, name, content):
    case = assigned_case()
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(actor=cast.caseworker, case=case, file=SimpleUploadedFile(name, content))
    assert "file" in exc.value.message_dict
    assert not Attachment.objects.exists()
    assert not list((Path(media) / "cases").glob("*")) if (Path(media) / "cases").exists() else True


@override_settings(CTXH_CASE_ATTACHMENT_MAX_BYTES=100)
def test_it_refuses_a_file_over_the_size_limit(cast, assigned_case):
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(actor=cast.caseworker, case=assigned_case(), file=SimpleUploadedFile("a.pdf", PDF))
    assert "MB" in exc.value.message_dict["file"][0] or "lớn" in exc.value.message_dict["file"][0]


def test_only_those_who_see_the_case_get_the_file_and_each_read_is_logged(cast, assigned_case, caseworker2):
    case = assigned_case()
    att = services.attachment_add(actor=cast.caseworker, case=case, file=SimpleUploadedFile("a.png",
                                  b"\x89PNG\r\n\x1a\n" + b"1" * 50))
    found, handle = selectors.attachment_open(user=cast.director, pk=att.pk)
    with handle:
        assert handle.read().startswith(b"\x89PNG")
    assert AccessEntry.objects.get(purpose="attachment").actor == cast.director
    for user in (caseworker2, cast.collaborator2, cast.statistician, cast.outsider):
        with pytest.raises(Http404):
            selectors.attachment_open(user=user, pk=att.pk)


def test_a_team_only_file_is_hidden_from_the_communes_collaborator(cast, assigned_case):
    case = assigned_case()
    att = services.attachment_add(actor=cast.caseworker, case=case, visibility="team",
                                  file=SimpleUploadedFile("giay.docx", b"PK\x03\x04" + b"x" * 40))
    with pytest.raises(Http404):
        selectors.attachment_get(user=cast.collaborator, pk=att.pk)
    assert selectors.case_attachments(user=cast.collaborator, case=case) == []
    assert selectors.attachment_get(user=cast.caseworker, pk=att.pk) == att


def test_outsiders_cannot_attach(cast, assigned_case, caseworker2):
    case = assigned_case()
    with pytest.raises(Http404):
        services.attachment_add(actor=caseworker2, case=case, file=SimpleUploadedFile("a.pdf", PDF))
