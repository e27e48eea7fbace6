"""The public tracing form: no login, a receipt number, anti-spam, and nothing personal shown back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ctxh.core.models import Rule
from ctxh.tracing.models import PublicSubmission, TracingMatch, TracingRequest
from ctxh.tracing.public_views import MAX_BODY_BYTES
from tests.factories import PersonFactory
from tests.tracing.conftest import public_post, shown_seconds_ago

pytestmark = pytest.mark.django_db
URL = "/public/tracing/"


def _client(ip: str = "203.0.113.7") -> Client:
    return Client(REMOTE_ADDR=ip)


def test_the_form_needs_no_login_and_no_script(geo):
    response = _client().get(reverse("tracing_public:form"))
    html = response.content.decode()
    assert response.status_code == 200 and reverse("tracing_public:form") == URL
    assert "<script" not in html and 'name="website"' in html and 'name="started"' in html
    assert "1800 1769" in html  # the Centre's hotline


def test_a_submission_creates_a_request_and_shows_only_its_receipt_number(geo):
    client = _client()
    response = client.post(URL, public_post())
    assert response.status_code == 302
    req = TracingRequest.objects.get()
    assert (req.source, req.status, req.province_id, req.created_by) == ("public", "new", 22, None)
    assert req.sought_name == "Lê Văn Đức" and req.birth_year_from == 1980 and req.seeker_phone == "0912345678"
    assert req.last_seen_date == dt.date(1995, 1, 1) and req.consent_at is not None
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and req.receipt_number in html
    for personal in ("Lê Văn Đức", "Lê Thị Cúc", "0912", "Bến phà", "Anh trai"):
        assert personal not in html


def test_the_receipt_page_cannot_be_guessed(geo):
    assert _client().get(reverse("tracing_public:received", args=["TN-2026-00001"])).status_code == 404


def test_consent_is_required(geo):
    response = _client().post(URL, public_post(consent=""))
    assert response.status_code == 422 and not TracingRequest.objects.exists()
    assert "Cần đánh dấu đồng ý" in response.content.decode()


@pytest.mark.parametrize("field,value,message", [
    ("birth", "năm ngoái", "1988-1992"), ("seeker_phone", "123", "Số điện thoại không hợp lệ"),
    ("last_seen", "hôm qua", "tháng/năm (05/1998)"),
])
def test_errors_keep_what_was_typed(geo, field, value, message):
    response = _client().post(URL, public_post(**{field: value}))
    html = response.content.decode()
    assert response.status_code == 422 and not TracingRequest.objects.exists()
    assert "Lê Văn Đức" in html and value in html and message in html


def test_public_pages_never_show_a_registry_person_or_a_match(geo):
    # Someone in the registry with exactly the name sought, and another request for him.
    person = PersonFactory(full_name="Lê Văn Đức", sex="male", commune=geo["c1"], birth_date=dt.date(1980, 1, 1),
                           address_detail="Tổ 5 khu Hồng Hà", phone="0987654321", cccd="022080001234")
    client = _client()
    client.post(URL, public_post(seeker_name="Trần Văn Em", seeker_phone="0911111111"))
    response = client.post(URL, public_post(), follow=True)
    req = TracingRequest.objects.get(seeker_name="Lê Thị Cúc")
    assert TracingMatch.objects.filter(request=req, person=person).exists()  # staff will see it
    assert TracingMatch.objects.filter(request=req, other_request__isnull=False).exists()
    pages = [response, client.get(URL)]
    for page in pages:
        html = page.content.decode()
        assert "Lê Văn Đức" not in html and "Le Van Duc" not in html
        for secret in ("Tổ 5 khu Hồng Hà", "0987654321", "022080001234", "Trần Văn Em", "0911111111",
                       "1980", "ứng viên", "Ứng viên", "người trong sổ"):
            assert secret not in html, secret
        assert str(TracingMatch.objects.filter(request=req).first().score) + " điểm" not in html


def test_a_filled_honeypot_is_refused_and_nothing_is_stored(geo):
    response = _client().post(URL, public_post(website="http://spam.example"))
    html = response.content.decode()
    assert response.status_code == 400 and not TracingRequest.objects.exists()
    assert "Chưa gửi được" in html and "Lê Văn Đức" in html  # a person can clear the box and resend
    assert 'style="position:absolute' not in html  # the trap is shown so it can be emptied
    assert PublicSubmission.objects.get().outcome == "honeypot"


def test_a_post_faster_than_a_person_or_without_a_token_is_refused(geo):
    client = _client()
    assert client.post(URL, public_post(started=shown_seconds_ago(0))).status_code == 400
    assert client.post(URL, public_post(started="forged")).status_code == 400
    assert client.post(URL, public_post(started="")).status_code == 400
    assert not TracingRequest.objects.exists()
    assert set(PublicSubmission.objects.values_list("outcome", flat=True)) == {"too_fast"}


def test_the_rate_limit_allows_n_per_hour_then_429_per_address(geo):
    assert Rule.objects.get(key="tracing.public_per_hour").value == {"count": 3}
    client = _client("198.51.100.1")
    for i in range(3):
        assert client.post(URL, public_post(sought_name=f"Người Thứ {i}")).status_code == 302
    blocked = client.post(URL, public_post(sought_name="Người Thứ Tư"))
    html = blocked.content.decode()
    assert blocked.status_code == 429 and "1800 1769" in html and "Người Thứ Tư" not in html
    assert TracingRequest.objects.count() == 3
    assert _client("198.51.100.2").post(URL, public_post()).status_code == 302


@pytest.mark.parametrize("key", ["HTTP_X_REAL_IP", "HTTP_X_FORWARDED_FOR"])
def test_behind_a_proxy_each_client_has_its_own_limit(geo, settings, key):
    settings.CTXH_CLIENT_IP_HEADER = key
    proxy = "10.0.0.1"  # every request reaches the server from the proxy
    for _ in range(3):
        assert Client(REMOTE_ADDR=proxy, **{key: "198.51.100.9"}).post(URL, public_post()).status_code == 302
    assert Client(REMOTE_ADDR=proxy, **{key: "198.51.100.9"}).post(URL, public_post()).status_code == 429
    # Another family behind the same proxy is not blocked by the first.
    assert Client(REMOTE_ADDR=proxy, **{key: "198.51.100.10"}).post(URL, public_post()).status_code == 302


def test_a_forged_forwarded_for_entry_does_not_escape_the_limit(geo, settings):
    settings.CTXH_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    # The client writes whatever it likes in front; the proxy appends the real address last.
    for i in range(3):
        forged = f"192.0.2.{i}, 198.51.100.20"
        assert Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forged).post(URL, public_post()).status_code == 302
    blocked = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.20")
    assert blocked.post(URL, public_post()).status_code == 429


def test_the_limit_follows_the_rule_row(geo):
    Rule.objects.create(key="tracing.public_per_hour", valid_from=dt.date(2024, 1, 1), value={"count": 1},
                        source="Thử nghiệm")
    client = _client()
    assert client.post(URL, public_post()).status_code == 302
    assert client.post(URL, public_post()).status_code == 429


def test_robot_attempts_count_against_the_limit(geo):
    client = _client()
    for _ in range(3):
        client.post(URL, public_post(website="x"))
    assert client.post(URL, public_post()).status_code == 429


def test_only_a_hash_of_the_address_is_kept(geo):
    _client("192.0.2.44").post(URL, public_post())
    row = PublicSubmission.objects.get()
    assert "192.0.2.44" not in row.ip_hash and len(row.ip_hash) == 64
    req = TracingRequest.objects.get()
    assert "192.0.2.44" not in str(TracingRequest.objects.filter(pk=req.pk).values().first())


def test_a_body_over_the_size_limit_is_refused_unread(geo):
    response = _client().post(URL, public_post(description="x" * (MAX_BODY_BYTES + 100)))
    assert response.status_code == 413 and not TracingRequest.objects.exists()
    assert "1800 1769" in response.content.decode()


def test_a_form_filled_to_every_limit_in_vietnamese_is_accepted(geo):
    long = "Người thất lạc ở bến phà Bãi Cháy. "
    data = public_post(
        seeker_name=("Nguyễn Thị Ngọc Hường " * 10)[:150], seeker_address=("Tổ dân phố Hạ Long " * 20)[:200],
        sought_name=("Trần Thị Ngọc Ánh " * 10)[:150], sought_aliases=("Bé Út, " * 50)[:300],
        last_place_text=("Bến phà Bãi Cháy, huyện Hoành Bồ " * 10)[:300],
        circumstances=(long * 60)[:1500], description=(long * 60)[:1500],
        seeker_email="nguoi.tim.nguoi.than.lau.nam@example.com",
    )
    response = _client().post(URL, data)
    assert response.status_code == 302, response.content.decode()[:500]
    assert len(TracingRequest.objects.get().circumstances) == 1500


@pytest.mark.parametrize("field,length", [
    ("sought_name", 151), ("seeker_name", 151), ("sought_aliases", 301), ("last_place_text", 301),
    ("circumstances", 1501), ("description", 1501), ("seeker_address", 201), ("birth", 21),
])
def test_each_field_has_a_size_limit(geo, field, length):
    response = _client().post(URL, public_post(**{field: "a" * length}))
    assert response.status_code == 422 and not TracingRequest.objects.exists()


def test_the_public_cannot_choose_staff_status_or_source(geo, cast):
    _client().post(URL, public_post(assigned_to=cast.caseworker.pk, status="reunified", source="staff"))
    req = TracingRequest.objects.get()
    assert (req.source, req.status, req.assigned_to) == ("public", "new", None)


def test_the_public_service_refuses_missing_consent(geo):
    from ctxh.tracing.services import tracing_request_submit_public

    with pytest.raises(ValidationError):
        tracing_request_submit_public(data={"seeker_name": "A B", "sought_name": "C D"}, ip_hash="x")
    assert not PublicSubmission.objects.exists()


def test_staff_pages_stay_closed_to_the_public(geo):
    _client().post(URL, public_post())
    req = TracingRequest.objects.get()
    client = _client()
    for url in (reverse("tracing:list"), reverse("tracing:detail", args=[req.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/api/v1/tracing/{req.pk}").status_code == 401
