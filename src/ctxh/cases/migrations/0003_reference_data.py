from django.db import migrations


def load(apps, schema_editor):
    from ctxh.cases.reference import load_reference

    load_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_workflow"), ("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
