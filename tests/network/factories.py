"""Factories for the provider directory."""

from __future__ import annotations

import factory

from ctxh.core.models import Term


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


class ProviderFactory(factory.django.DjangoModelFactory):
    """A public, active provider; pass ``commune`` (its province follows)."""

    class Meta:
        model = "network.Provider"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Trạm Y tế số {n}")
    type = factory.LazyFunction(lambda: term("provider_type", "commune_health"))
    sector = factory.LazyFunction(lambda: term("provider_sector", "health"))
    commune = None
    province = factory.LazyAttribute(lambda o: o.commune.province)
    address_detail = "Số 1, đường Lê Lợi"
    phone = "0203 3825 000"

    @factory.post_generation
    def services(self, create, codes, **kwargs):
        if create and codes:
            self.services.set([term("provider_service", c) for c in codes])

    @factory.post_generation
    def target_groups(self, create, codes, **kwargs):
        if create and codes:
            self.target_groups.set([term("provider_target", c) for c in codes])
