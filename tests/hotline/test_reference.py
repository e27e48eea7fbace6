"""The topic list and the lines are data loaded by a migration, with their sources."""

from ctxh.hotline.models import HotlineLine


def test_it_loads_a_two_level_topic_list_with_sources(topics):
    child_abuse = topics["child_abuse"]
    kids = {t.code for t in child_abuse.children.all()}
    assert kids == {"child_physical", "child_sexual", "child_emotional", "child_neglect"}
    for code in ("policy", "crisis", "domestic_violence", "trafficking", "disability", "elderly",
                 "mental_health", "legal", "livelihood", "family", "other"):
        assert topics[code].parent is None
    assert topics["child_sexual"].extra == {"number": "4.2", "sensitive": True}
    assert all(t.source and t.name and t.name_en for t in topics.values())
    assert topics["policy"].name == "Chính sách xã hội, trợ giúp xã hội"


def test_it_seeds_the_quang_ninh_and_national_lines(db):
    lines = {line.number: line for line in HotlineLine.objects.all()}
    assert lines["1800 1769"].province_id == 22 and lines["1800 1769"].is_active
    assert lines["111"].province is None
