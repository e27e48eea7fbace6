from django.db import migrations


def load(apps, schema_editor):
    from ctxh.support.reference import load_reference

    load_reference(apps.get_model("core", "Rule"), apps.get_model("core", "Term"))


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial"), ("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
