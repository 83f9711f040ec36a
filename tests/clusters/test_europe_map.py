"""The map of Europe: projection, label sides, the committed outline and the inline SVG."""

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string

from clusters import europe_map
from clusters.management.commands.build_europe_map import BLEED
from clusters.models import Cluster

ASSET = Path(settings.BASE_DIR) / "static" / europe_map.OUTLINE_ASSET
SVG = "{http://www.w3.org/2000/svg}"

LYON = (45.76, 4.83)
BARCELONA = (41.39, 2.17)
MUNICH = (48.11, 11.45)
TURIN = (45.07, 7.69)


def make_clusters() -> list[Cluster]:
    """Return the four clusters, unsaved."""
    rows = [
        ("Biocat", "Catalonia", "Spain", BARCELONA, "#e2001a"),
        ("BioM", "Bavaria", "Germany", MUNICH, "#0b6db7"),
        ("bioPmed", "Piedmont", "Italy", TURIN, "#6a3d9a"),
        ("Lyonbiopole", "Auvergne-Rhône-Alpes", "France", LYON, "#00876c"),
    ]
    return [
        Cluster(
            name=name,
            slug=name.lower(),
            region=region,
            country=country,
            latitude=latitude,
            longitude=longitude,
            colour=colour,
        )
        for name, region, country, (latitude, longitude), colour in rows
    ]


def test_cities_keep_their_places_on_the_map():
    lyon, barcelona = europe_map.project(*LYON), europe_map.project(*BARCELONA)
    munich, turin = europe_map.project(*MUNICH), europe_map.project(*TURIN)
    assert lyon[0] < turin[0] < munich[0]
    assert barcelona[1] > lyon[1]
    assert munich[1] < turin[1] < barcelona[1]


def test_every_cluster_and_its_label_fit_inside_the_map():
    for marker in europe_map.build(make_clusters()).markers:
        assert europe_map.LABEL_HEIGHT < marker.y < europe_map.HEIGHT - europe_map.LABEL_HEIGHT
        if marker.label_on_left:
            assert marker.x - europe_map.LABEL_WIDTH > 0
        else:
            assert marker.x + europe_map.LABEL_WIDTH < europe_map.WIDTH


def test_lyon_label_goes_left_so_it_does_not_cross_turin():
    sides = {m.cluster.name: m.label_on_left for m in europe_map.build(make_clusters()).markers}
    assert sides == {"Lyonbiopole": True, "bioPmed": False, "Biocat": False, "BioM": False}


def test_committed_outline_is_a_self_contained_svg_of_the_map():
    assert ASSET.stat().st_size < 150_000
    root = ET.parse(ASSET).getroot()
    assert root.tag == f"{SVG}svg"
    assert [float(v) for v in root.get("viewBox").split()] == [
        0,
        0,
        europe_map.WIDTH,
        europe_map.HEIGHT,
    ]
    elements = list(root.iter())
    assert len([e for e in elements if e.tag == f"{SVG}path"]) > 30
    assert not [e for e in elements if e.tag.endswith("script")]
    assert not [name for e in elements for name in e.attrib if name.endswith("href")]
    assert "Natural Earth" in ASSET.read_text()


def test_build_command_projects_clips_and_drops_rings(tmp_path):
    # Squares of whole degrees: one round Lyon, one in the Atlantic across the map's west edge
    # (stored reversed, as ~2), one in Australia.
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [
            [[4, 45], [1, 0], [0, 1], [-1, 0], [0, -1]],
            [[130, -25], [5, 0], [0, 5], [-5, 0], [0, -5]],
            [[-20, 40], [0, 2], [15, 0], [0, -2], [-15, 0]],
        ],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0]], "properties": {"name": "Lyon"}},
                    {"type": "Polygon", "arcs": [[1]], "properties": {"name": "Australia"}},
                    {"type": "MultiPolygon", "arcs": [[[~2]]], "properties": {"name": "Sea"}},
                ],
            }
        },
    }
    source, output = tmp_path / "countries.json", tmp_path / "europe.svg"
    source.write_text(json.dumps(topology))
    call_command("build_europe_map", source, output=output, stdout=io.StringIO())

    paths = [p.get("d") for p in ET.parse(output).getroot().iter(f"{SVG}path")]
    assert len(paths) == 2
    lyon_x, lyon_y = europe_map.project(*LYON)
    numbers = [float(n) for n in re.findall(r"-?[\d.]+", paths[0])]
    assert min(numbers[0::2]) < lyon_x < max(numbers[0::2])
    assert min(numbers[1::2]) < lyon_y < max(numbers[1::2])
    clipped = [float(n) for n in re.findall(r"-?[\d.]+", paths[1])]
    assert min(clipped[0::2]) == -BLEED
    assert max(clipped[0::2]) < europe_map.WIDTH


def test_map_links_each_cluster_by_name_over_the_cached_outline():
    html = render_to_string(
        "clusters/includes/europe_map.html", {"map": europe_map.build(make_clusters())}
    )
    assert '<image href="/static/clusters/europe.svg"' in html
    assert 'aria-labelledby="europe-map-title"' in html
    for cluster in make_clusters():
        assert f'href="{cluster.get_absolute_url()}"' in html
        assert f">{cluster.name}</text>" in html
        assert f'aria-label="{cluster.name}, {cluster.region}, {cluster.country}"' in html
