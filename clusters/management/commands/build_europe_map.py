"""Draw ``static/clusters/europe.svg``, the outline of the home page's map of Europe.

The input is Natural Earth's countries as TopoJSON, from the world-atlas npm package::

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    manage.py build_europe_map /tmp/package/countries-50m.json

Every ring is projected with ``clusters.europe_map.project`` (the projection the markers use),
clipped to the map's rectangle and lightly simplified; the SVG holds one path per country.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clusters import europe_map

SEA = "#d4e6f3"
LAND = "#e9ebe4"
# Clip a little outside the view so that the cut edges, stroked white, are not seen.
BLEED = 2.0
# Points closer than this to the previous one (in SVG units) add bytes, not shape.
MIN_STEP = 0.5

Point = tuple[float, float]


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Return the topology's arcs as (longitude, latitude) lists, undoing quantisation."""
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            # Each position is a delta from the previous one.
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    """Return a ring stitched from arc indexes (``~i`` is arc ``i`` reversed), unclosed."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Each arc starts where the previous one ended.
        points.extend(arc[1:] if points else arc)
    return points[:-1] if len(points) > 1 and points[0] == points[-1] else points


def polygons(geometry: dict) -> list[list[list[int]]]:
    """Return a country's polygons as lists of rings of arc indexes."""
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def clip(points: list[Point], left: float, top: float, right: float, bottom: float) -> list[Point]:
    """Return the ring clipped to the rectangle (Sutherland–Hodgman, one side at a time)."""
    # (axis, bound, whether the inside is below the bound) for each side
    sides = ((0, left, False), (0, right, True), (1, top, False), (1, bottom, True))
    for axis, bound, keep_below in sides:
        clipped = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            current_in = current[axis] <= bound if keep_below else current[axis] >= bound
            previous_in = previous[axis] <= bound if keep_below else previous[axis] >= bound
            if current_in != previous_in:
                t = (bound - previous[axis]) / (current[axis] - previous[axis])
                clipped.append(
                    (
                        previous[0] + t * (current[0] - previous[0]),
                        previous[1] + t * (current[1] - previous[1]),
                    )
                )
            if current_in:
                clipped.append(current)
        points = clipped
        if not points:
            break
    return points


def simplify(points: list[Point]) -> list[Point]:
    """Return the ring without points closer than MIN_STEP to the last point kept."""
    kept: list[Point] = []
    for x, y in points:
        if not kept or (x - kept[-1][0]) ** 2 + (y - kept[-1][1]) ** 2 >= MIN_STEP**2:
            kept.append((x, y))
    return kept


def number(value: float) -> str:
    """Return a coordinate with one decimal at most and no needless characters."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def path_data(rings: list[list[Point]]) -> str:
    """Return SVG path data for the rings; pairs after M are implicit line-tos."""
    return "".join(
        "M" + " ".join(f"{number(x)} {number(y)}" for x, y in ring) + "Z" for ring in rings
    )


def country_rings(geometry: dict, arcs: list[list[Point]]) -> list[list[Point]]:
    """Return the country's rings as they appear on the map, dropping those outside it."""
    rectangle = (-BLEED, -BLEED, europe_map.WIDTH + BLEED, europe_map.HEIGHT + BLEED)
    rings = []
    for polygon in polygons(geometry):
        for indexes in polygon:
            projected = [europe_map.project(lat, lon) for lon, lat in ring_points(indexes, arcs)]
            xs, ys = [x for x, _ in projected], [y for _, y in projected]
            if max(xs) < rectangle[0] or min(xs) > rectangle[2]:
                continue
            if max(ys) < rectangle[1] or min(ys) > rectangle[3]:
                continue
            ring = simplify(clip(projected, *rectangle))
            if len(ring) >= 3:
                rings.append(ring)
    return rings


def render_svg(paths: list[str], source: str) -> str:
    """Return the SVG document: sea, then one land path per country."""
    width, height = number(europe_map.WIDTH), number(europe_map.HEIGHT)
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">',
        f"<!-- {source}. Drawn by manage.py build_europe_map; see EUROPE_MAP_LICENSE.txt. -->",
        f'<rect width="{width}" height="{height}" fill="{SEA}"/>',
        f'<g fill="{LAND}" fill-rule="evenodd" stroke="#fff" stroke-width=".6" '
        'stroke-linejoin="round">',
        *(f'<path d="{d}"/>' for d in paths),
        "</g>",
        "</svg>",
    ]
    return "\n".join(lines) + "\n"


def package_version(source: Path) -> str:
    """Return the world-atlas version from the package.json beside the data, if there is one."""
    try:
        return json.loads((source.parent / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "(version unknown)"


class Command(BaseCommand):
    help = "Draw the map of Europe's outline from world-atlas TopoJSON (countries-50m.json)."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="world-atlas countries-*.json")
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "static" / europe_map.OUTLINE_ASSET,
            help="SVG file to write (default: %(default)s)",
        )

    def handle(self, *args, source: Path, output: Path, **options):
        try:
            topology = json.loads(source.read_text())
            countries = topology["objects"]["countries"]["geometries"]
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(
                f"{source} is not world-atlas countries TopoJSON: {error}"
            ) from error
        arcs = decode_arcs(topology)
        # Sorted by name so that rebuilding from the same data gives the same file.
        paths = []
        for country in sorted(countries, key=lambda c: c.get("properties", {}).get("name", "")):
            rings = country_rings(country, arcs)
            if rings:
                paths.append(path_data(rings))
        description = (
            "Natural Earth country outlines (public domain) "
            f"via world-atlas {package_version(source)}, {source.name}"
        )
        svg = render_svg(paths, description)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(svg)
        self.stdout.write(
            f"Wrote {output}: {len(paths)} countries, {len(svg.encode()) // 1024} KB."
        )
