"""call_save: what the counsellor typed becomes the record, once, with a version guard."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ctxh.audit.models import AuditEntry
from ctxh.core.exceptions import ConflictError
from ctxh.hotline import services


@pytest.fixture
def call(cast):
    return services.call_start(actor=cast.counsellor)


def test_it_saves_people_topics_and_summary_and_scopes_the_call_by_its_subject(cast, call, people, topics, geo):
    saved = services.call_save(actor=cast.counsellor, call=call, expected_version=call.version, data={
        "caller": people["mother"], "caller_relation": "parent", "caller_phone": "+84 912 345 678",
        "subjects": [(people["child"], "subject"), (people["man"], "alleged_perpetrator")],
        "topics": [topics["child_physical"], topics["crisis"]], "urgency": "high",
        "summary": "  Mẹ báo con gái 10 tuổi bị hàng xóm đánh.  ", "outcome": "advice",
    })
    assert saved.version == call.version + 1
    assert saved.summary == "Mẹ báo con gái 10 tuổi bị hàng xóm đánh."
    assert saved.caller_phone == "0912345678"
    assert [(s.person, s.role) for s in saved.call_subjects.all()] == [
        (people["child"], "subject"), (people["man"], "alleged_perpetrator")]
    assert set(saved.topics.values_list("code", flat=True)) == {"child_physical", "crisis"}
    assert saved.commune_id == geo["c1"].pk
    entry = AuditEntry.objects.get(action="call.updated", object_id=str(call.pk))
    assert entry.changes["_version"] == saved.version
    assert entry.changes["urgency"] == ["normal", "high"]
    assert entry.changes["subjects"][1] == [[people["child"].pk, "subject"], [people["man"].pk, "alleged_perpetrator"]]


def test_it_changes_only_the_fields_given_and_clears_the_draft(cast, call):
    services.call_draft_save(actor=cast.counsellor, call=call, data={"summary": ["đang gõ"]})
    saved = services.call_save(actor=cast.counsellor, call=call, expected_version=call.version,
                               data={"summary": "Hỏi về bảo hiểm y tế."})
    assert saved.urgency == "normal" and saved.summary == "Hỏi về bảo hiểm y tế."
    saved.refresh_from_db()
    assert saved.draft == {} and saved.draft_saved_at is None


def test_a_stale_version_is_refused_with_what_changed(cast, call, make_call):
    services.call_save(actor=cast.counsellor, call=call, expected_version=call.version,
                       data={"summary": "Lần đầu"})
    with pytest.raises(ConflictError) as exc:
        services.call_save(actor=cast.counsellor, call=call, expected_version=call.version,
                           data={"summary": "Lần hai"})
    assert any("Tóm tắt nội dung" in label and new == "Lần đầu" for label, _old, new in exc.value.changes)
    call.refresh_from_db()
    assert call.summary == "Lần đầu"


def test_nobody_else_writes_to_a_call_in_progress(cast, call):
    for user in ("director", "caseworker"):
        with pytest.raises(PermissionDenied):
            services.call_save(actor=cast[user], call=call, expected_version=call.version, data={"summary": "x"})


def test_a_director_may_correct_an_ended_call_but_a_caseworker_may_not(cast, make_call):
    call = make_call()
    saved = services.call_save(actor=cast.director, call=call, expected_version=call.version,
                               data={"summary": "Đã sửa bởi lãnh đạo."})
    assert saved.summary == "Đã sửa bởi lãnh đạo."
    with pytest.raises(PermissionDenied):
        services.call_save(actor=cast.caseworker, call=saved, expected_version=saved.version, data={"summary": "y"})


def test_people_outside_the_counsellors_area_are_refused(cast, call, people):
    with pytest.raises(ValidationError) as exc:
        services.call_save(actor=cast.counsellor, call=call, expected_version=call.version,
                           data={"subjects": [(people["far"], "subject")]})
    assert "subjects" in exc.value.message_dict


@pytest.mark.parametrize("data,field", [
    ({"outcome": "referred"}, "referred_to"),
    ({"outcome": "case_opened"}, "outcome"),
    ({"urgency": "sometimes"}, "urgency"),
    ({"caller_anonymous": True, "caller": "mother"}, "caller"),
    ({"follow_up_at": "past"}, "follow_up_at"),
])
def test_it_refuses_what_does_not_make_sense(cast, call, people, data, field):
    data = dict(data)
    if data.get("caller") == "mother":
        data["caller"] = people["mother"]
    if data.get("follow_up_at") == "past":
        data["follow_up_at"] = timezone.now() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.call_save(actor=cast.counsellor, call=call, expected_version=call.version, data=data)
    assert field in exc.value.message_dict


def test_topics_outside_the_hotline_list_are_refused(cast, call):
    from ctxh.core.models import Term

    ethnicity = Term.objects.of("ethnicity").first()
    with pytest.raises(ValidationError) as exc:
        services.call_save(actor=cast.counsellor, call=call, expected_version=call.version,
                           data={"topics": [ethnicity]})
    assert "topics" in exc.value.message_dict


def test_a_line_is_dropped_when_the_channel_is_not_the_phone(cast, call):
    saved = services.call_save(actor=cast.counsellor, call=call, expected_version=call.version,
                               data={"channel": "zalo"})
    assert saved.channel == "zalo" and saved.line is None


def test_an_autosave_sent_before_a_save_does_not_bring_old_values_back(cast, call):
    old_version = call.version
    saved = services.call_save(actor=cast.counsellor, call=call, expected_version=old_version,
                               data={"summary": "Đã lưu"})
    services.call_draft_save(actor=cast.counsellor, call=call,
                             data={"summary": ["bản cũ"], "version": [str(old_version)]})
    saved.refresh_from_db()
    assert saved.draft == {} and saved.summary == "Đã lưu"
    services.call_draft_save(actor=cast.counsellor, call=call,
                             data={"summary": ["bản mới"], "version": [str(saved.version)]})
    saved.refresh_from_db()
    assert saved.draft["summary"] == ["bản mới"]
