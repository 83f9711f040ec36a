"""Outgoing linkbacks point at their post through content type + id, not a foreign key.

The comments app names no content model: the rows keep their post, read from the old foreign
key's target as this migration's history knows it.
"""

import django.db.models.deletion
from django.db import migrations, models


def to_generic(apps, schema_editor):
    OutgoingLinkback = apps.get_model("linkbacks", "OutgoingLinkback")
    ContentType = apps.get_model("contenttypes", "ContentType")
    source = OutgoingLinkback._meta.get_field("post").related_model._meta
    if not OutgoingLinkback.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(
        app_label=source.app_label, model=source.model_name
    )
    for row in OutgoingLinkback.objects.all():
        row.content_type_id, row.object_id = content_type.pk, row.post_id
        row.save(update_fields=["content_type", "object_id"])


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
        migrations.RunPython(to_generic, migrations.RunPython.noop, elidable=False),
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
