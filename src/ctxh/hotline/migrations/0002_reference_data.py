"""The hotline's topic list (core.Term, vocabulary call_topic) and its lines, with their sources."""

from django.db import migrations


def load(apps, schema_editor):
    from ctxh.hotline.reference import load_reference

    load_reference(
        apps.get_model("core", "Term"), apps.get_model("hotline", "HotlineLine"),
        apps.get_model("geo", "Province"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0001_initial"),
        ("core", "0001_initial"),
        ("geo", "0002_load_units"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
