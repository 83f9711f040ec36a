"""Staff edit the main menu and the footer in the admin; visitors get them on every page."""

import pytest
from django.core.exceptions import ValidationError

from clusters.menus import menus
from clusters.models import Menu, MenuItem, Status
from tests.factories import make_category, make_cluster, make_page, make_post, make_user

pytestmark = pytest.mark.django_db


def main_menu():
    return Menu.objects.get(place=Menu.Place.MAIN)


def header(client, url="/"):
    page = client.get(url).content.decode()
    return page.split("<header", 1)[1].split("</header>", 1)[0]


def footer(client, url="/"):
    page = client.get(url).content.decode()
    return page.split("<footer", 1)[1].split("</footer>", 1)[0]


def test_without_items_the_header_keeps_its_own_links(client):
    make_page(title="Who we are", slug="who-we-are", menu_order=1)

    links = header(client)

    assert ">Home</a>" in links and ">Who we are</a>" in links and ">Blog</a>" in links


def test_the_main_menu_shows_its_items_in_order_nested_one_level(client):
    menu = main_menu()
    about = make_page(title="Who we are", slug="who-we-are")
    cluster = make_cluster(name="Biocat", slug="biocat")
    news = make_category(name="News", slug="news")
    post = make_post(title="Autumn days")
    clusters = MenuItem.objects.create(menu=menu, url="/clusters/", label="Clusters", sort_order=2)
    MenuItem.objects.create(menu=menu, parent=clusters, cluster=cluster, sort_order=1)
    MenuItem.objects.create(menu=menu, page=about, sort_order=1)
    MenuItem.objects.create(menu=menu, category=news, sort_order=3)
    MenuItem.objects.create(menu=menu, post=post, label="Our autumn", sort_order=4)
    MenuItem.objects.create(menu=menu, url="https://lyonbiopole.com/", label="Lyonbiopole")

    links = header(client)

    order = ["Lyonbiopole", "Who we are", ">Clusters<", "Biocat", "News", "Our autumn"]
    positions = [links.index(text) for text in order]
    assert positions == sorted(positions)
    assert 'href="/clusters/biocat/"' in links and 'href="/blog/category/news/"' in links
    assert 'data-bs-toggle="dropdown" aria-expanded="false">Clusters</button>' in links
    assert ">Home</a>" not in links  # The menu replaces the built-in links.


def test_items_leading_to_drafts_are_not_shown(client):
    draft = make_page(title="Not yet", status=Status.DRAFT)
    MenuItem.objects.create(menu=main_menu(), page=draft)
    MenuItem.objects.create(menu=main_menu(), url="/blog/", label="Blog")

    links = header(client)

    assert "Not yet" not in links and ">Blog</a>" in links


def test_the_footer_menu_is_shown_in_the_footer(client):
    footer_menu = Menu.objects.get(place=Menu.Place.FOOTER)
    MenuItem.objects.create(menu=footer_menu, url="/privacy/", label="Privacy")

    assert '<a href="/privacy/">Privacy</a>' in footer(client)
    assert "Privacy" not in header(client)


def test_both_menus_cost_one_query(client, django_assert_num_queries):
    for number in range(5):
        MenuItem.objects.create(menu=main_menu(), page=make_page(title=f"Page {number}"))
    with django_assert_num_queries(1):
        assert len(menus().main) == 5


@pytest.mark.parametrize(
    "targets, message",
    [
        ({}, "Choose one thing for the item to lead to"),
        ({"url": "/blog/", "label": "Blog", "two": True}, "Choose one thing"),
        ({"url": "javascript:alert(1)"}, "Enter an address starting with"),
    ],
)
def test_a_menu_item_leads_to_exactly_one_thing(targets, message):
    targets = dict(targets)
    if targets.pop("two", False):
        targets["category"] = make_category()
    item = MenuItem(menu=main_menu(), **targets)

    with pytest.raises(ValidationError, match=message):
        item.full_clean()


def test_menus_are_one_level_deep():
    menu = main_menu()
    top = MenuItem.objects.create(menu=menu, url="/a/")
    child = MenuItem.objects.create(menu=menu, url="/b/", parent=top)

    with pytest.raises(ValidationError, match="one level deep"):
        MenuItem(menu=menu, url="/c/", parent=child).full_clean()
    top.parent = MenuItem.objects.create(menu=menu, url="/d/")
    with pytest.raises(ValidationError, match="one level deep"):
        top.full_clean()


def test_editors_edit_the_menus_in_the_admin(client):
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    menu = main_menu()
    page = make_page(title="Who we are")
    data = {
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
        "items-0-page": page.pk, "items-0-sort_order": "1",
    }  # fmt: skip

    assert client.get("/admin/clusters/menu/").status_code == 200
    response = client.post(f"/admin/clusters/menu/{menu.pk}/change/", data)

    assert response.status_code == 302
    assert [item.title for item in menu.items.all()] == ["Who we are"]
    assert ">Who we are</a>" in header(client)


def test_moderators_cannot_edit_the_menus(client):
    client.force_login(make_user(is_staff=True, groups=["Moderators"]))

    assert client.get(f"/admin/clusters/menu/{main_menu().pk}/change/").status_code == 403
