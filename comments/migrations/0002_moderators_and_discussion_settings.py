"""Give the Moderators group the comment permissions, and create the discussion settings row.

Moderators get nothing from the clusters app; Editors get nothing from comments.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATORS = "Moderators"
MODERATOR_PERMISSIONS = [
    ("comment", "view_comment"),
    ("comment", "change_comment"),
    ("comment", "delete_comment"),
    ("comment", "can_moderate"),
    ("commentstatuschange", "view_commentstatuschange"),
    ("discussionsettings", "view_discussionsettings"),
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("comments")
    app_config.models_module = True  # The migration state's app config lacks it; any truthy value.
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    for model, codename in MODERATOR_PERMISSIONS:
        moderators.permissions.add(
            Permission.objects.get(
                content_type__app_label="comments", content_type__model=model, codename=codename
            )
        )
    apps.get_model("comments", "DiscussionSettings").objects.get_or_create(pk=1)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=MODERATORS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="comments"))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("clusters", "0002_editor_and_moderator_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
