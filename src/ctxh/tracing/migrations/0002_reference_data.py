from django.db import migrations


def load(apps, schema_editor):
    from ctxh.tracing.reference import load_rules

    load_rules(apps.get_model("core", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("tracing", "0001_initial"), ("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
