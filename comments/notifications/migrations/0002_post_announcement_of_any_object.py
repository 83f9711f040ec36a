"""Post announcements point at their post through content type + id, not a foreign key.

The comments app names no content model: the rows keep their post, read from the old foreign
key's target as this migration's history knows it.
"""

import django.db.models.deletion
from django.db import migrations, models


def to_generic(apps, schema_editor):
    PostAnnouncement = apps.get_model("notifications", "PostAnnouncement")
    ContentType = apps.get_model("contenttypes", "ContentType")
    post = PostAnnouncement._meta.get_field("post").related_model._meta
    if not PostAnnouncement.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(
        app_label=post.app_label, model=post.model_name
    )
    for row in PostAnnouncement.objects.all():
        row.content_type_id, row.object_id = content_type.pk, row.post_id
        row.save(update_fields=["content_type", "object_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="postannouncement",
            name="content_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="postannouncement",
            name="object_id",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.RunPython(to_generic, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="postannouncement", name="post"),
        migrations.AlterField(
            model_name="postannouncement",
            name="content_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AlterField(
            model_name="postannouncement",
            name="object_id",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="postannouncement",
            constraint=models.UniqueConstraint(
                fields=("content_type", "object_id"), name="post_announcement_once"
            ),
        ),
    ]
