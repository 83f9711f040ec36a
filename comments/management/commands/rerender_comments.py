from django.core.management.base import BaseCommand

from comments import cards
from comments.models import Comment


class Command(BaseCommand):
    help = (
        "Render again the stored markup of every comment made by another version of "
        "comments/comment.html (make run and deploys run it; a page view does it lazily too)."
    )

    def handle(self, *args, **options):
        version = cards.card_template_version()
        changed = 0
        batch = []
        for comment in Comment.objects.exclude(card_template=version).iterator(chunk_size=500):
            batch.append(comment)
            if len(batch) == 500:
                changed += len(cards.refresh(batch, version=version))
                batch = []
        changed += len(cards.refresh(batch, version=version))
        if options["verbosity"]:
            self.stdout.write(f"{changed} comments rendered again.")
