"""British English as the site has always written it: "2 December 2026", "2 December 2026 at 10:42".

Django's own en_GB formats abbreviate the month and use a 12-hour clock; every other language
keeps Django's formats for it. Templates name the format (``|date:"DATE_FORMAT"``), never a
pattern, so each language writes dates its own way.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = r"j F Y \a\t H:i"
