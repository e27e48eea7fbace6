from django.db import migrations


def load(apps, schema_editor):
    from ctxh.residential.reference import load_reference

    load_reference(apps.get_model("core", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("residential", "0001_initial"), ("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
