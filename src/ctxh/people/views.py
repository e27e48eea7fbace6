from django.http import HttpResponse


def _todo(request, *a, **k):
    return HttpResponse('todo')


person_list = _todo
person_search = _todo
person_create = _todo
person_duplicates = _todo
person_detail = _todo
person_edit = _todo
group_add = _todo
group_end = _todo
disability_add = _todo
consent_add = _todo
consent_withdraw = _todo
household_list = _todo
household_create = _todo
household_detail = _todo
household_edit = _todo
household_member_add = _todo
household_member_remove = _todo
household_poverty = _todo
