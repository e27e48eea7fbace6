from django.db import migrations


def forwards(apps, schema_editor):
    from ctxh.assistance.pay_reference import load_rules

    load_rules(apps.get_model("core", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("assistance", "0002_payments")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
