"""Threads are assembled in Python from rows already in thread order, in one pass."""

from dataclasses import dataclass

from comments.threading import build_tree, flatten, path_ids, path_segment


@dataclass
class Row:
    pk: int
    parent_id: int | None
    path: str


def rows(*chains):
    """Return rows from id chains: (1,) is a thread root, (1, 2) replies to 1, and so on."""
    return [
        Row(chain[-1], chain[-2] if len(chain) > 1 else None, "/".join(map(path_segment, chain)))
        for chain in sorted(chains, key=lambda chain: [path_segment(pk) for pk in chain])
    ]


def shape(items):
    return [(item.comment.pk, item.depth, item.has_children, len(item.closes)) for item in items]


def test_paths_are_fixed_width_so_that_text_order_is_thread_order():
    assert path_segment(12) == "0000000012"
    assert path_ids("0000000012/0000000045") == [12, 45]
    assert path_segment(9) + "/" + path_segment(100) < path_segment(10)


def test_replies_nest_under_their_parents_in_order():
    tree = build_tree(rows((1,), (1, 2), (1, 2, 4), (1, 3), (5,)), max_depth=5)

    assert [node.comment.pk for node in tree] == [1, 5]
    assert [child.comment.pk for child in tree[0].children] == [2, 3]
    assert [child.comment.pk for child in tree[0].children[0].children] == [4]


def test_the_flat_list_says_what_to_open_and_how_many_levels_to_close():
    items = flatten(build_tree(rows((1,), (1, 2), (1, 2, 4), (1, 3), (5,)), max_depth=5))

    assert shape(items) == [
        (1, 1, True, 0),
        (2, 2, True, 0),
        (4, 3, False, 1),  # Closes the list under 2.
        (3, 2, False, 1),  # Closes the list under 1.
        (5, 1, False, 0),
    ]


def test_the_last_deep_reply_closes_every_open_level():
    items = flatten(build_tree(rows((1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)), max_depth=5))

    assert shape(items)[-1] == (4, 4, False, 3)


def test_replies_deeper_than_the_limit_join_the_deepest_level():
    items = flatten(build_tree(rows((1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), (1, 5)), max_depth=2))

    assert shape(items) == [(1, 1, True, 0), (2, 2, False, 0), (3, 2, False, 0),
                            (4, 2, False, 0), (5, 2, False, 1)]  # fmt: skip


def test_threading_off_shows_every_comment_at_the_top_level():
    items = flatten(build_tree(rows((1,), (1, 2), (1, 2, 3)), max_depth=1))

    assert shape(items) == [(1, 1, False, 0), (2, 1, False, 0), (3, 1, False, 0)]


def test_a_reply_whose_parent_is_hidden_stays_under_the_nearest_shown_ancestor():
    visible = [row for row in rows((1,), (1, 2), (1, 2, 3), (4,), (4, 5)) if row.pk not in {2, 4}]

    tree = build_tree(visible, max_depth=5)

    assert [node.comment.pk for node in tree] == [1, 5]
    assert [child.comment.pk for child in tree[0].children] == [3]


def test_a_thousand_deep_chain_and_fifty_thousand_comments_build_without_recursion():
    chain = list(range(1, 1001))
    deep = [Row(pk, pk - 1 if pk > 1 else None, "/".join(map(path_segment, chain[:pk])))
            for pk in chain]  # fmt: skip
    wide = [Row(pk, None, path_segment(pk)) for pk in range(2000, 52000)]

    items = flatten(build_tree(deep + wide, max_depth=10))

    assert len(items) == 51000
    assert max(item.depth for item in items) == 10
    assert sum(len(item.closes) for item in items) == sum(item.has_children for item in items)
