from django.db import migrations


def forwards(apps, schema_editor):
    # Adds the rule rows added to reference.py since 0001 (assistance.hiv_codes); edited rows are never overwritten.
    from ctxh.assistance.reference import load_rules

    load_rules(apps.get_model("core", "Rule"), apps.get_model("core", "Term"))


class Migration(migrations.Migration):
    dependencies = [("assistance", "0003_decision_rules")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
