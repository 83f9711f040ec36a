"""Outgoing linkbacks point at their post through content type + id, not a foreign key.

The rows keep their post (comments/migrating.py).
"""

import django.db.models.deletion
from django.db import migrations, models

from comments.migrating import foreign_key_to_generic


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("linkbacks", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="outgoinglinkback",
            options={"ordering": ["content_type", "object_id", "pk"], "verbose_name": "outgoing linkback"},
        ),
        migrations.RemoveConstraint(model_name="outgoinglinkback", name="outgoing_linkback_once"),
        migrations.AddField(
            model_name="outgoinglinkback",
            name="content_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="object type",
            ),
        ),
        migrations.AddField(
            model_name="outgoinglinkback",
            name="object_id",
            field=models.PositiveBigIntegerField(null=True, verbose_name="object id"),
        ),
        migrations.RunPython(
            foreign_key_to_generic("linkbacks", "OutgoingLinkback", "post"), migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="outgoinglinkback", name="post"),
        migrations.AlterField(
            model_name="outgoinglinkback",
            name="content_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="object type",
            ),
        ),
        migrations.AlterField(
            model_name="outgoinglinkback",
            name="object_id",
            field=models.PositiveBigIntegerField(verbose_name="object id"),
        ),
        migrations.AddConstraint(
            model_name="outgoinglinkback",
            constraint=models.UniqueConstraint(
                fields=("content_type", "object_id", "target_url"), name="outgoing_linkback_once"
            ),
        ),
    ]
