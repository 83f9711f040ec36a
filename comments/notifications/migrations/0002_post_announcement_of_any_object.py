"""Post announcements point at their post through content type + id, not a foreign key.

The rows keep their post (comments/migrating.py).
"""

import django.db.models.deletion
from django.db import migrations, models

from comments.migrating import foreign_key_to_generic


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
        migrations.RunPython(
            foreign_key_to_generic("notifications", "PostAnnouncement", "post"), migrations.RunPython.noop, elidable=False),
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
