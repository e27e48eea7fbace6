from django.db import migrations


def load(apps, schema_editor):
    from ctxh.geo.loader import load_units

    load_units(apps.get_model("geo", "Province"), apps.get_model("geo", "Commune"))


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
