"""Build the reply tree of a discussion from comments already in thread order, in one pass.

Comments come from one query ordered by ``(thread, path)``. Each is attached to its nearest
ancestor present in the rows (a trashed parent leaves its approved replies under the grandparent)
and never deeper than ``max_depth``: deeper replies join the deepest allowed level, as WordPress
does. ``flatten`` turns the tree into the list the template walks with a single loop, each item
saying whether it opens a list of children and how many levels close after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

PATH_WIDTH = 10  # Digits of one id in a path: ten billion comments before the order breaks.


def path_segment(pk: int) -> str:
    """Return ``pk`` as one fixed-width segment of a comment path."""
    return f"{pk:0{PATH_WIDTH}d}"


def path_ids(path: str) -> list[int]:
    """Return the ids in ``path``, thread root first and the comment itself last."""
    return [int(segment) for segment in path.split("/") if segment]


@dataclass(eq=False)
class Node:
    comment: Any
    depth: int
    parent: Node | None = field(default=None, repr=False)
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class Item:
    comment: Any
    depth: int
    has_children: bool
    closes: range  # One ``</ol></li>`` per enclosing level that ends after this item.


def build_tree(rows: Iterable[Any], *, max_depth: int) -> list[Node]:
    """Return the top-level nodes of ``rows`` (objects with ``pk``, ``parent_id``, ``path``)."""
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for row in rows:
        ancestors = path_ids(row.path)[:-1] or ([row.parent_id] if row.parent_id else [])
        host = None
        for ancestor_id in reversed(ancestors):
            host = nodes.get(ancestor_id)
            if host is not None:
                break
        while host is not None and host.depth >= max_depth:
            host = host.parent
        node = Node(row, depth=host.depth + 1 if host else 1, parent=host)
        (host.children if host else roots).append(node)
        nodes[row.pk] = node
    return roots


def flatten(roots: list[Node]) -> list[Item]:
    """Return the nodes in display order, with what the template must open and close."""
    ordered: list[Node] = []
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(node.children))
    items = []
    for index, node in enumerate(ordered):
        next_depth = ordered[index + 1].depth if index + 1 < len(ordered) else 1
        items.append(
            Item(
                comment=node.comment,
                depth=node.depth,
                has_children=next_depth > node.depth,
                closes=range(max(node.depth - next_depth, 0)),
            )
        )
    return items
