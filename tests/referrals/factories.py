"""Factories for referral tests: providers (with their category terms) and consents."""

from __future__ import annotations

import datetime as dt

import factory


def term(vocabulary: str, code: str, name: str, parent=None):
    """A category term, made here so the tests do not depend on the directory's loaded lists."""
    from ctxh.core.models import Term

    obj, _created = Term.objects.get_or_create(
        vocabulary=vocabulary, code=code,
        defaults={"name": name, "valid_from": dt.date(2013, 1, 1), "source": "Thử nghiệm", "parent": parent})
    return obj


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "network.Provider"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Trung tâm Tư vấn Hoa Sen {n}")
    type = factory.LazyFunction(lambda: term("provider_type", "t_ngo", "Tổ chức xã hội (thử nghiệm)"))
    sector = factory.LazyFunction(lambda: term("provider_sector", "t_social", "Bảo trợ xã hội (thử nghiệm)"))
    province = factory.LazyAttribute(lambda o: o.commune.province if o.commune else None)
    commune = None
    phone = "0203 3888 999"
    organization = None

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.Consent"

    purpose = "sharing"
    given_by = "self"
    method = "written"
    given_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=30))
