"""The site's menus as templates show them: public items in order, each with its children."""

from dataclasses import dataclass, field

from clusters.models import Menu, MenuItem


@dataclass
class Entry:
    """A menu item as shown: its title, its address and the items under it."""

    title: str
    href: str
    children: list["Entry"] = field(default_factory=list)


@dataclass
class Menus:
    main: list[Entry]
    footer: list[Entry]


def menus() -> Menus:
    """Return both menus, from one query, without items leading to what the public cannot see."""
    items = MenuItem.objects.select_related("menu", "page", "cluster", "post", "category").order_by(
        "sort_order", "pk"
    )
    entries = {}
    tops = {Menu.Place.MAIN: [], Menu.Place.FOOTER: []}
    for item in items:
        if item.is_public:
            entries[item.pk] = Entry(item.title, item.href)
    for item in items:
        entry = entries.get(item.pk)
        if entry is None:
            continue
        if item.parent_id is None:
            tops[item.menu.place].append(entry)
        elif item.parent_id in entries:
            entries[item.parent_id].children.append(entry)
    return Menus(main=tops[Menu.Place.MAIN], footer=tops[Menu.Place.FOOTER])
