from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations, models

# PostgreSQL: English stemming of words without their accents, so that "Rhone" finds "Rhône"
# and the headline marks "Rhône" (the stored text keeps its accents); then the stored vectors
# computed again with it. SQLite's FTS5 table removes diacritics already (0011).
CONFIGURATION = (
    "CREATE TEXT SEARCH CONFIGURATION search_english (COPY = english)",
    # Only these token types can hold letters outside ASCII.
    "ALTER TEXT SEARCH CONFIGURATION search_english "
    "ALTER MAPPING FOR word, hword, hword_part WITH unaccent, english_stem",
)
VECTORS = (
    "UPDATE clusters_searchentry SET search_vector = "
    "setweight(to_tsvector('{config}', title), 'A') "
    "|| setweight(to_tsvector('{config}', excerpt), 'B') "
    "|| setweight(to_tsvector('{config}', body), 'C')"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CONFIGURATION:
            schema_editor.execute(statement)
        schema_editor.execute(VECTORS.format(config="search_english"))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(VECTORS.format(config="english"))
        schema_editor.execute("DROP TEXT SEARCH CONFIGURATION search_english")


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0012_translations"),
    ]

    operations = [
        UnaccentExtension(),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(
                fields=["id", "public", "visible_from", "date"], name="search_entry_filter_idx"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
