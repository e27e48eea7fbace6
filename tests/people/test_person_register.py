"""person_register: validation, scope, duplicates, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ctxh.audit.models import AuditEntry
from ctxh.people import services
from ctxh.people.models import Person


def test_it_registers_with_normalised_name_phone_and_audit(cast, person_data):
    person = services.person_register(actor=cast.collaborator, data=person_data)
    assert person.full_name == "Nguyễn Văn Đức"
    assert person.name_folded == "nguyen van duc"
    assert person.given_folded == "duc"
    assert person.phone == "0987654321"
    assert person.birth_precision == "year" and person.birth_display == "1950"
    entry = AuditEntry.objects.get(action="person.registered", object_id=str(person.pk))
    assert entry.actor == cast.collaborator and entry.changes["full_name"] == "Nguyễn Văn Đức"


@pytest.mark.parametrize("field,value,message", [
    ("cccd", "12345", "12 chữ số"),
    ("cccd", "003190012345", "mã tỉnh"),
    ("birth_date", dt.date(2099, 1, 1), "tương lai"),
    ("old_id_number", "12ab", "9 chữ số"),
    ("phone", "123", "9 đến 11"),
])
def test_it_refuses_bad_values_with_vietnamese_messages(cast, person_data, field, value, message):
    with pytest.raises(ValidationError) as exc:
        services.person_register(actor=cast.collaborator, data={**person_data, field: value})
    assert message in " ".join(exc.value.message_dict[field])
    assert not Person.objects.exists()


def test_it_refuses_a_commune_outside_the_province(cast, geo, person_data):
    with pytest.raises(ValidationError) as exc:
        services.person_register(actor=cast.director, data={**person_data, "commune": geo["far"]})
    assert "không thuộc" in exc.value.message_dict["commune"][0]


def test_it_refuses_a_commune_outside_the_users_area(cast, geo, person_data):
    with pytest.raises(ValidationError) as exc:
        services.person_register(actor=cast.collaborator2, data=person_data)
    assert "ngoài phạm vi" in exc.value.message_dict["commune"][0]


def test_it_refuses_a_statistician(cast, person_data):
    with pytest.raises(PermissionDenied):
        services.person_register(actor=cast.statistician, data=person_data)


def test_it_warns_on_a_cccd_that_disagrees_and_accepts_when_confirmed(cast, person_data):
    data = {**person_data, "sex": "female"}  # the CCCD says male
    with pytest.raises(services.IdWarning):
        services.person_register(actor=cast.collaborator, data=data)
    person = services.person_register(actor=cast.collaborator, data=data, confirm_id_warning=True)
    assert person.cccd_warning_confirmed


def test_it_stops_on_a_duplicate_and_accepts_a_reason(cast, han, geo):
    data = {"full_name": "Dang Thi Ngoc Han", "sex": "female", "birth_date": dt.date(1988, 1, 1),
            "birth_precision": "year", "province": geo["province"], "commune": geo["c1"]}
    with pytest.raises(services.DuplicateSuspected) as exc:
        services.person_register(actor=cast.collaborator, data=data)
    assert [c.person for c in exc.value.visible] == [han]
    assert exc.value.visible[0].reason == "same_name_year"
    person = services.person_register(actor=cast.collaborator, data=data, duplicate_reason="Hai người khác nhau, đã gặp trực tiếp")
    assert person.duplicate_reason.startswith("Hai người")


def test_it_finds_close_spellings_and_a_dropped_middle_name(cast, han, geo):
    for name in ("Đặng Ngọc Hân", "Đặng Thị Ngọc Hânn"[:-1], "Dang Thi Ngoc Han"):
        with pytest.raises(services.DuplicateSuspected):
            services.person_register(actor=cast.collaborator, data={
                "full_name": name, "sex": "female", "birth_date": dt.date(1988, 5, 5),
                "province": geo["province"], "commune": geo["c1"]})


def test_it_only_counts_duplicates_outside_the_users_area(cast, han, geo):
    data = {"full_name": "Lê Văn Tám", "sex": "male", "cccd": han.cccd, "province": geo["province"],
            "commune": geo["c2"], "birth_date": dt.date(1988, 1, 1), "birth_precision": "year"}
    with pytest.raises(services.DuplicateSuspected) as exc:
        services.person_register(actor=cast.collaborator2, data={**data, "sex": "female"})
    assert exc.value.visible == [] and exc.value.hidden_count == 1
