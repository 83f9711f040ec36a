"""Create the Editors and Moderators groups.

Editors get every permission of the site's content; Moderators get the comment permissions,
granted by the comments app's own migration once its models exist.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
MODERATORS = "Moderators"


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; editors need them now.
    app_config = apps.get_app_config("clusters")
    app_config.models_module = True  # The migration state's app config lacks it; any truthy value.
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="clusters"))
    Group.objects.get_or_create(name=MODERATORS)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, MODERATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
