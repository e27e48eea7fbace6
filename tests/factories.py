"""factory_boy factories for the registry."""

from __future__ import annotations

import datetime as dt

import factory

from ctxh.core.text import fold, given_name


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.Person"

    full_name = factory.Iterator(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"])
    name_folded = factory.LazyAttribute(lambda o: fold(o.full_name))
    given_folded = factory.LazyAttribute(lambda o: fold(given_name(o.full_name)))
    sex = "female"
    birth_date = dt.date(1990, 5, 17)
    birth_precision = "day"
    province = factory.LazyAttribute(lambda o: o.commune.province if o.commune else None)
    commune = None


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.Household"

    code = factory.Sequence(lambda n: f"HH-{n:05d}")
    province = factory.LazyAttribute(lambda o: o.commune.province)
    commune = None
