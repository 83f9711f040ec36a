"""For data migrations: move rows from a foreign key to content type + object id."""


def foreign_key_to_generic(app_label: str, model_name: str, field_name: str):
    """Return a ``RunPython`` function copying ``field_name``'s target into the generic pair.

    The target model is read from the foreign key as the migration's history knows it, so no
    migration names the content app.
    """

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        if not model.objects.exists():
            return
        target = model._meta.get_field(field_name).related_model._meta
        content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label=target.app_label, model=target.model_name
        )
        model.objects.update(content_type=content_type)
        for row in model.objects.all():
            row.object_id = getattr(row, f"{field_name}_id")
            row.save(update_fields=["object_id"])

    return forwards
