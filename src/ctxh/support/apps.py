from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "ctxh.support"
    label = "support"
    verbose_name = _("Hỗ trợ đột xuất, hiện vật, nhu cầu và tài trợ")
