"""Mark the numbers to call at once when someone is in danger (police 113, ambulance 115) on existing rows."""

from django.db import migrations

URGENT = ("police_113", "ambulance_115")


def mark(apps, schema_editor):
    Term = apps.get_model("core", "Term")
    for term in Term.objects.filter(vocabulary="public_hotline", code__in=URGENT):
        extra = dict(term.extra or {})
        if not extra.get("urgent"):
            extra["urgent"] = True
            term.extra = extra
            term.save(update_fields=["extra"])


class Migration(migrations.Migration):
    dependencies = [("network", "0003_reference_data")]
    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
