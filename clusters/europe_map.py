"""The map of Europe on the home page: one projection for the outline asset and the markers.

The outline (``static/clusters/europe.svg``) is drawn by ``manage.py build_europe_map`` from
Natural Earth data with :func:`project`; markers are placed with the same function from each
cluster's latitude and longitude, so they always land where the cluster is.
"""

import math
from dataclasses import dataclass

# Lambert azimuthal equal-area centred on Europe (as EPSG:3035), scaled into SVG units.
CENTRE_LATITUDE = 52.0
CENTRE_LONGITUDE = 10.0
SCALE = 1000.0
# The part of the plane shown: x from WEST to EAST, y from NORTH to SOUTH, in SVG units. A tight
# crop (Portugal to western Ukraine, southern Finland to the Maghreb coast) keeps the clusters,
# all in the south-west of the centre, far enough apart to label.
WEST, EAST, NORTH, SOUTH = -295.0, 215.0, -210.0, 300.0
WIDTH = EAST - WEST
HEIGHT = SOUTH - NORTH
OUTLINE_ASSET = "clusters/europe.svg"
# Roughly the room a label takes beside its marker, to keep labels off neighbouring markers.
LABEL_WIDTH = 120.0
LABEL_HEIGHT = 24.0


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Return the SVG coordinates (origin top left) of a point given in degrees."""
    phi, lam = math.radians(latitude), math.radians(longitude - CENTRE_LONGITUDE)
    phi0 = math.radians(CENTRE_LATITUDE)
    k = math.sqrt(
        2 / (1 + math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam))
    )
    x = SCALE * k * math.cos(phi) * math.sin(lam)
    y = (
        SCALE
        * k
        * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    )
    return round(x - WEST, 1), round(-y - NORTH, 1)


@dataclass(frozen=True)
class Marker:
    cluster: object
    x: float
    y: float
    label_on_left: bool = False


@dataclass(frozen=True)
class EuropeMap:
    width: float
    height: float
    outline_asset: str
    markers: list[Marker]


def label_goes_left(x: float, y: float, others: list[tuple[float, float]]) -> bool:
    """Return True if a label right of (x, y) would run off the map or over another marker."""
    if x + LABEL_WIDTH > WIDTH:
        return True
    return any(0 < ox - x < LABEL_WIDTH and abs(oy - y) < LABEL_HEIGHT for ox, oy in others)


def build(clusters) -> EuropeMap:
    """Return the map with a marker for each cluster."""
    points = [
        (cluster, *project(float(cluster.latitude), float(cluster.longitude)))
        for cluster in clusters
    ]
    markers = [
        Marker(cluster, x, y, label_goes_left(x, y, [(ox, oy) for _, ox, oy in points]))
        for cluster, x, y in points
    ]
    return EuropeMap(WIDTH, HEIGHT, OUTLINE_ASSET, markers)
