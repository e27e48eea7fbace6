"""Adding a provider: validated in Vietnamese, audited, only by managers of that province."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ctxh.audit.models import AuditEntry
from ctxh.network import services
from ctxh.network.models import Provider
from tests.network.factories import ProviderFactory, term


def _data(geo, **over):
    data = {
        "name": "Trung tâm Dịch vụ việc làm Quảng Ninh", "type": term("provider_type", "employment_centre"),
        "sector": None, "province": geo["province"], "commune": geo["c1"], "address_detail": "Số 5, đường Cao Thắng",
        "phone": "0203 3828 555", "services": [term("provider_service", "job_placement")],
        "target_groups": [term("provider_target", "disability")], "is_public": True,
    }
    data.update(over)
    return data


def test_it_adds_a_provider_and_records_who(cast, geo):
    provider = services.provider_create(actor=cast.director, data=_data(geo))
    assert provider.version == 1 and provider.is_active and provider.created_by == cast.director
    assert provider.sector.code == "labour"  # the usual sector of the type
    assert [s.code for s in provider.services.all()] == ["job_placement"]
    assert provider.name_folded == "trung tam dich vu viec lam quang ninh"
    entry = AuditEntry.objects.get(action="provider.created", object_id=str(provider.pk))
    assert entry.actor == cast.director and entry.changes["services"] == "Giới thiệu việc làm"


def test_it_reports_every_mistake_on_its_field(cast, geo):
    with pytest.raises(ValidationError) as exc:
        services.provider_create(actor=cast.director, data=_data(
            geo, name=" x ", phone="", hotline="", email="", commune=geo["far"], is_residential=False, capacity=10))
    errors = exc.value.message_dict
    assert errors["name"] == ["Cần nhập tên đơn vị (ít nhất 3 ký tự)."]
    assert errors["commune"] == ["Xã/phường này không thuộc tỉnh đã chọn."]
    assert errors["phone"] == ["Cần ít nhất một cách liên hệ: điện thoại, đường dây nóng hoặc thư điện tử."]
    assert "Chỉ cơ sở có nuôi dưỡng tập trung mới có số chỗ" in errors["capacity"][0]
    assert not Provider.objects.exists()


def test_it_checks_numbers_addresses_and_places(cast, geo):
    with pytest.raises(ValidationError) as exc:
        services.provider_create(actor=cast.director, data=_data(
            geo, phone="gọi 0203", hotline="12", email="ctxh@", website="không có", is_residential=True))
    errors = exc.value.message_dict
    assert errors["phone"][0].startswith("Số điện thoại chỉ gồm chữ số")
    assert errors["hotline"][0].startswith("Số điện thoại chỉ gồm chữ số")
    assert errors["email"] == ["Địa chỉ thư điện tử không hợp lệ (ví dụ: ctxh@quangninh.gov.vn)."]
    assert errors["website"][0].startswith("Địa chỉ trang web không hợp lệ")
    assert errors["capacity"] == ["Cơ sở có nuôi dưỡng tập trung cần ghi số chỗ (lớn hơn 0)."]


def test_a_website_without_scheme_gets_https(cast, geo):
    provider = services.provider_create(actor=cast.director, data=_data(geo, website="ctxh.quangninh.gov.vn"))
    assert provider.website == "https://ctxh.quangninh.gov.vn"


def test_it_refuses_a_second_provider_of_the_same_name_in_the_same_commune(cast, geo):
    ProviderFactory(name="Trung tâm Dịch vụ việc làm Quảng Ninh", commune=geo["c1"])
    with pytest.raises(ValidationError) as exc:
        services.provider_create(actor=cast.director, data=_data(geo, name="trung tam dich vu viec lam quang ninh"))
    assert "Đã có đơn vị cùng tên" in exc.value.message_dict["name"][0]
    assert services.provider_create(actor=cast.director, data=_data(geo, commune=geo["c2"])).pk


def test_a_type_from_another_list_is_refused(cast, geo):
    with pytest.raises(ValidationError) as exc:
        services.provider_create(actor=cast.director, data=_data(geo, type=term("provider_sector", "health")))
    assert exc.value.message_dict["type"] == ["Giá trị không thuộc danh mục."]


@pytest.mark.parametrize("who", ["caseworker", "collaborator", "statistician", "outsider"])
def test_only_managers_add_providers(cast, geo, who):
    with pytest.raises(PermissionDenied):
        services.provider_create(actor=cast[who], data=_data(geo))


def test_a_manager_adds_only_in_the_province_they_cover(cast, geo, far_director):
    with pytest.raises(ValidationError) as exc:
        services.provider_create(actor=far_director, data=_data(geo))
    assert exc.value.message_dict["province"] == ["Bạn chỉ được thêm đơn vị thuộc tỉnh mình phụ trách."]
    here = services.provider_create(actor=far_director, data=_data(
        geo, province=geo["other_province"], commune=geo["far"]))
    assert here.province == geo["other_province"]
