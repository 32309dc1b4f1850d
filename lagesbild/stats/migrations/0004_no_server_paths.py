"""Imports used to store the file's path on the server as the snapshot's address
(file:///tmp/...), which the public API and the exports then showed. The file's name stays in
source_ref and query; the path is removed."""

from django.db import migrations


def forget_paths(apps, schema_editor):
    Snapshot = apps.get_model("stats", "Snapshot")
    Snapshot.objects.filter(url__startswith="file:").update(url="")


class Migration(migrations.Migration):
    dependencies = [("stats", "0003_localindicator")]
    operations = [migrations.RunPython(forget_paths, migrations.RunPython.noop)]
