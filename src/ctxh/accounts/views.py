# Placeholder: replaced by the accounts pages.
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo")


profile = token_list = token_revoke = user_list = user_create = user_detail = _todo
