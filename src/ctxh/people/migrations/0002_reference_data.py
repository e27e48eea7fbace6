from django.db import migrations


def load(apps, schema_editor):
    from ctxh.people.reference import load_reference

    load_reference(apps.get_model("core", "Term"), apps.get_model("people", "PovertyStandard"))


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
