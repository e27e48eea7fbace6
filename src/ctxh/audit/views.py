# Placeholder: replaced by the audit pages.
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo")


change_list = access_list = _todo
