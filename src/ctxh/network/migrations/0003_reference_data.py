"""The directory's category lists and public hotline numbers (core.Term), with their sources.

Also fills ``search_folded`` for providers saved before the field existed.
"""

from django.db import migrations


def load(apps, schema_editor):
    from ctxh.core.text import digits, fold
    from ctxh.network.reference import load_reference

    load_reference(apps.get_model("core", "Term"))
    Provider = apps.get_model("network", "Provider")
    for p in Provider.objects.select_related("commune").filter(search_folded=""):
        commune = p.commune.name if p.commune_id else ""
        numbers = [digits(x) for x in (p.hotline, p.phone, p.phone_alt) if x]
        p.search_folded = fold(" ".join(x for x in (p.name, p.address_detail, commune, *numbers) if x))[:600]
        p.save(update_fields=["search_folded"])


class Migration(migrations.Migration):
    dependencies = [("network", "0002_search_and_scope"), ("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
