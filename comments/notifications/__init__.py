"""Discussion e-mail: moderator alerts, post authors' and subscribers' mail, and the links in them.

The rest of the site reaches in at a few marked places: ``comments.services`` and the comment
view call ``events``; ``CommentForm`` inherits ``forms.SubscriptionFields``; the comment and post
admins take the mixins of ``admin``. Every mail is rendered into an ``OutgoingMail`` row and sent
by the ``deliver`` task after commit. The personal-data rules are in ``comments.privacy``.
"""
