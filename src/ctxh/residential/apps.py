from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentialConfig(AppConfig):
    name = "ctxh.residential"
    label = "residential"
    verbose_name = _("Chăm sóc tại cơ sở")
