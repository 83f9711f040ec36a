from django.core.management.base import BaseCommand

from comments.models import Comment


class Command(BaseCommand):
    help = "Render every comment's stored markup again, after comments/comment.html changed."

    def handle(self, *args, **options):
        changed = 0
        for comment in Comment.objects.iterator(chunk_size=500):
            card = comment.render_card()
            if card != comment.card_html:
                Comment.objects.filter(pk=comment.pk).update(card_html=card)
                changed += 1
        if options["verbosity"]:
            self.stdout.write(f"{changed} comments rendered again.")
