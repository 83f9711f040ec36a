"""The content's background work: a scheduled entry going live at its time."""

from django.apps import apps
from django.utils.dateparse import parse_datetime
from django_tasks import task


@task()
def entry_went_live(label: str, pk: int, published_at: str) -> bool:
    """Run the went-live steps of a scheduled entry whose time came (``services``).

    Nothing happens if the entry was deleted, made a draft or given another time meanwhile
    (that save queued its own task). Returns True if the steps ran.
    """
    from clusters import services

    entry = apps.get_model(label)._default_manager.filter(pk=pk).first()
    if entry is None or not entry.is_live or entry.published_at != parse_datetime(published_at):
        return False
    services.entry_went_live(entry)
    return True
