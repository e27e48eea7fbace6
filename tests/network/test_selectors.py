"""Searching and filtering the directory: any word order, with or without marks; who sees what."""

from __future__ import annotations

import pytest
from django.http import Http404

from ctxh.network.selectors import ProviderFilters, provider_get, provider_list
from tests.network.factories import ProviderFactory


def names(qs):
    return [p.name for p in qs]


def search(user, **filters):
    return names(provider_list(user=user, filters=ProviderFilters(**filters)))


@pytest.mark.parametrize("q", ["trợ giúp pháp lý", "tro giup phap ly", "PHÁP LÝ trợ", "phap ly le thanh tong",
                               "Lê Thánh Tông", "ĐƯỜNG le thanh"])
def test_it_finds_by_name_and_street_with_or_without_marks(cast, providers, q):
    assert search(cast.caseworker, q=q) == ["Trung tâm Trợ giúp pháp lý nhà nước tỉnh"]


def test_it_finds_by_the_commune_name(cast, geo, providers):
    word = geo["c2"].name.split()[-1]  # e.g. "Xanh" of "Phường Cao Xanh"
    found = search(cast.caseworker, q=word)
    assert "Trạm Y tế phường Đông Hà" in found


def test_a_word_must_start_a_word(cast, providers):
    assert search(cast.caseworker, q="ong ha") == []  # not inside "Đông Hà"
    assert search(cast.caseworker, q="dong ha") == ["Trạm Y tế phường Đông Hà"]


def test_it_finds_by_phone_number_as_digits(cast, providers):
    assert search(cast.caseworker, q="0203 3835 111") == ["Trung tâm Trợ giúp pháp lý nhà nước tỉnh"]
    assert search(cast.caseworker, q="38351") == ["Trung tâm Trợ giúp pháp lý nhà nước tỉnh"]
    assert search(cast.caseworker, q="1900.6198") == ["Trung tâm Trợ giúp pháp lý nhà nước tỉnh"]


def test_a_service_group_finds_every_service_under_it(cast, providers):
    assert search(cast.caseworker, service="legal") == ["Trung tâm Trợ giúp pháp lý nhà nước tỉnh"]
    assert search(cast.caseworker, service="civil_papers") == ["Trung tâm Trợ giúp pháp lý nhà nước tỉnh"]
    assert search(cast.caseworker, service="health") == [
        "Bệnh viện Nhi Trung ương — Phòng Công tác xã hội", "Trạm Y tế phường Đông Hà"]
    assert search(cast.caseworker, service="rehabilitation") == ["Trạm Y tế phường Đông Hà"]
    assert search(cast.caseworker, service="protection") == ["Nhà tạm lánh Bình Yên"]


def test_a_commune_gets_its_own_providers_and_the_provincial_ones(cast, geo, providers):
    assert search(cast.caseworker, commune=geo["c2"].pk) == [
        "Nhà tạm lánh Bình Yên", "Trạm Y tế phường Đông Hà", "Trung tâm Trợ giúp pháp lý nhà nước tỉnh"]
    # The provincial legal aid centre does not serve another province's communes.
    assert search(cast.caseworker, commune=geo["far"].pk) == ["Bệnh viện Nhi Trung ương — Phòng Công tác xã hội"]


def test_it_filters_by_type_sector_target_residential_and_public(cast, geo, providers):
    assert search(cast.caseworker, type="legal_aid") == ["Trung tâm Trợ giúp pháp lý nhà nước tỉnh"]
    assert search(cast.caseworker, sector="social_protection") == ["Nhà tạm lánh Bình Yên"]
    assert search(cast.caseworker, target="poor_households") == ["Trung tâm Trợ giúp pháp lý nhà nước tỉnh"]
    assert search(cast.caseworker, residential=True) == ["Nhà tạm lánh Bình Yên"]
    assert search(cast.caseworker, public=False) == ["Nhà tạm lánh Bình Yên"]
    assert search(cast.caseworker, province=geo["other_province"].pk) == [
        "Bệnh viện Nhi Trung ương — Phòng Công tác xã hội"]
    assert search(cast.caseworker, status="inactive") == ["Nhóm Thiện Tâm (đã giải thể)"]
    assert len(search(cast.caseworker, status="all")) == 5


def test_it_sorts_by_the_folded_name_so_đ_is_not_pushed_after_z(cast, geo):
    # A binary sort (SQLite) puts "Đ" after every ASCII letter; the folded name keeps it among the D's.
    for name in ("Đội Công tác xã hội tình nguyện", "Ban Bảo vệ trẻ em", "Dự án Hy Vọng", "Điểm tư vấn Hạ Long",
                 "Hội Phụ nữ"):
        ProviderFactory(name=name, commune=geo["c1"])
    assert search(cast.caseworker) == ["Ban Bảo vệ trẻ em", "Điểm tư vấn Hạ Long", "Đội Công tác xã hội tình nguyện",
                                       "Dự án Hy Vọng", "Hội Phụ nữ"]
    assert search(cast.caseworker, sort="-name")[:2] == ["Hội Phụ nữ", "Dự án Hy Vọng"]


def test_the_public_sees_only_public_active_providers(cast, providers):
    everyone = {"Trung tâm Trợ giúp pháp lý nhà nước tỉnh", "Trạm Y tế phường Đông Hà",
                "Bệnh viện Nhi Trung ương — Phòng Công tác xã hội"}
    for user in (None, cast.outsider, cast.statistician):
        assert set(search(user, status="all", public=False)) | set(search(user)) == everyone
        with pytest.raises(Http404):
            provider_get(user=user, pk=providers["shelter"].pk)
        with pytest.raises(Http404):
            provider_get(user=user, pk=providers["closed"].pk)
    assert provider_get(user=cast.collaborator, pk=providers["shelter"].pk).name == "Nhà tạm lánh Bình Yên"
    assert provider_get(user=cast.far_worker, pk=providers["closed"].pk).is_active is False


def test_a_list_costs_the_same_few_queries_however_long(cast, geo, django_assert_max_num_queries):
    for i in range(30):
        ProviderFactory(name=f"Đơn vị {i:02d}", commune=geo["c1"], services=["health_care", "rehabilitation"],
                        target_groups=["anyone"])
    with django_assert_max_num_queries(8):
        rows = list(provider_list(user=cast.caseworker, filters=ProviderFilters(service="health")))
        for p in rows:
            [s.label for s in p.services.all()] + [t.label for t in p.target_groups.all()] + [p.type.label]
    assert len(rows) == 30
