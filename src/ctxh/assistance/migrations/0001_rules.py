from django.db import migrations


def forwards(apps, schema_editor):
    from ctxh.assistance.reference import load_rules

    load_rules(apps.get_model("core", "Rule"), apps.get_model("core", "Term"))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_calendar_days_2026"), ("people", "0004_search_number_and_order_indexes")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
