from django.db import migrations


def load(apps, schema_editor):
    from ctxh.people.reference import load_poverty_reference

    load_poverty_reference(apps.get_model("core", "Term"), apps.get_model("core", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("people", "0005_poverty_survey"), ("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
