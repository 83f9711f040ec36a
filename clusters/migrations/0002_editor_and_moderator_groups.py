"""Create the Editors and Moderators groups.

Editors get every permission of the site's content; Moderators get the comment permissions,
granted by the comments app's own migration once its models exist.
"""

from django.db import migrations

from clusters.migrations._permissions import grant

EDITORS = "Editors"
MODERATORS = "Moderators"


def create_groups(apps, schema_editor):
    grant(apps, EDITORS, "clusters")
    apps.get_model("auth", "Group").objects.get_or_create(name=MODERATORS)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, MODERATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
