"""Site search: one index of posts, pages, clusters, categories and tags, on either database.

- ``query``: what a visitor typed, parsed as web searches read it (pure).
- ``index``: the entries kept in step with the content (``index_objects``, ``remove``,
  ``rebuild``), connected to saves and deletes in ``connect``.
- ``backends``: PostgreSQL full text or SQLite FTS5, chosen by the database in use; the view and
  the admin call ``backend()`` and never know which.
"""
