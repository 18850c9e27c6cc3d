"""Writes the map's boundary files from the us-atlas package's TopoJSON.

    .venv/bin/python -m policytracker.maps.build_shapes /tmp/package

reads `counties-albers-10m.json` and `states-albers-10m.json` from the unpacked package
folder (`npm pack us-atlas@3.0.1`, then `tar xzf us-atlas-3.0.1.tgz`) and writes
`policytracker/maps/data/illinois_counties.json` and `us_states.json`: each shape's FIPS
code, name and SVG path, in a view box of its own. Run only when the boundaries change;
the site reads the written files and never fetches anything.

The TopoJSON files are already projected (Albers USA) and quantized: each arc is a list of
integer positions, every one but the first a delta from the one before, to be scaled and
translated by the file's `transform`. A polygon is rings of arc indexes, a negative index
~i being arc i reversed.
"""

import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
ILLINOIS = "17"
PROVENANCE = (
    "US Census Bureau cartographic boundary files (1:10,000,000), public domain, as "
    "projected (Albers USA) and simplified in the us-atlas package, version 3.0.1 (ISC "
    "licence, copyright 2013-2019 Michael Bostock). Written by "
    "policytracker/maps/build_shapes.py."
)


def decoded_arcs(topology):
    """Every arc as a list of (x, y) positions in the projected plane."""
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    """A ring's positions, its arcs joined end to end (each shares its first point with the
    previous one's last)."""
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def rings_of(geometry, arcs):
    return [ring_points(ring, arcs) for polygon in polygons_of(geometry) for ring in polygon]


def path_data(rings, fit, digits):
    """SVG path data for `rings`, each position mapped by `fit` and rounded to `digits`
    decimals; a position that rounds onto the one before is dropped."""
    parts = []
    for ring in rings:
        previous, commands = None, []
        for x, y in ring:
            point = fit(x, y)
            point = tuple(round(value, digits) for value in point)
            if point == previous:
                continue
            previous = point
            text = ",".join(format_number(value) for value in point)
            commands.append(("M" if not commands else "L") + text)
        if len(commands) > 2:
            parts.append("".join(commands) + "Z")
    return "".join(parts)


def format_number(value):
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def bounds(rings):
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def shapes_file(geometries, arcs, *, width, digits, kind):
    """The boundary file's content: the shapes re-fitted so that together they span
    `width` units across, from 0,0."""
    rings = {geometry["id"]: rings_of(geometry, arcs) for geometry in geometries}
    left, top, right, bottom = bounds([ring for each in rings.values() for ring in each])
    scale = width / (right - left)
    height = round((bottom - top) * scale, digits)

    def fit(x, y):
        return (x - left) * scale, (y - top) * scale

    shapes = [
        {
            "fips": geometry["id"],
            "name": geometry["properties"]["name"],
            "d": path_data(rings[geometry["id"]], fit, digits),
        }
        for geometry in sorted(geometries, key=lambda geometry: geometry["id"])
    ]
    return {
        "provenance": PROVENANCE,
        "kind": kind,
        "view_box": f"0 0 {format_number(width)} {format_number(height)}",
        "shapes": shapes,
    }


def build(package):
    package = Path(package)
    counties = json.loads((package / "counties-albers-10m.json").read_text())
    states = json.loads((package / "states-albers-10m.json").read_text())
    illinois = [
        geometry
        for geometry in counties["objects"]["counties"]["geometries"]
        if geometry["id"].startswith(ILLINOIS)
    ]
    written = {
        "illinois_counties.json": shapes_file(
            illinois, decoded_arcs(counties), width=400, digits=1, kind="county"
        ),
        "us_states.json": shapes_file(
            states["objects"]["states"]["geometries"],
            decoded_arcs(states),
            width=960,
            digits=1,
            kind="state",
        ),
    }
    DATA.mkdir(exist_ok=True)
    for name, content in written.items():
        (DATA / name).write_text(json.dumps(content, separators=(",", ":"), ensure_ascii=False))
        print(f"{name}: {len(content['shapes'])} shapes, {(DATA / name).stat().st_size} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build(sys.argv[1])
