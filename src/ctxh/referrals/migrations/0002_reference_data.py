from django.db import migrations


def load(apps, schema_editor):
    from ctxh.referrals.reference import load_reference

    load_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial"), ("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
