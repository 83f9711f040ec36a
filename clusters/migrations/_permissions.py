"""Grant model permissions to a group from a data migration (not a migration itself)."""

from django.contrib.auth.management import create_permissions


def grant(apps, group_name, app_label, model_names=None):
    """Give ``group_name`` every permission of ``app_label`` (or of ``model_names`` in it)."""
    app_config = apps.get_app_config(app_label)
    # Permissions are normally created after all migrations; groups need them now. The migration
    # state's app config lacks models_module, which create_permissions checks for truthiness.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label=app_label)
    if model_names is not None:
        permissions = permissions.filter(content_type__model__in=model_names)
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(*permissions)
