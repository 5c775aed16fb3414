"""Build pipeline/data/centroids/countries.csv from the countryinfo package's country outlines.

Run once by a maintainer (the pipeline never downloads anything): install `countryinfo==1.0.1`
in a scratch environment, then `python scripts/build_country_centroids.py PATH/TO/countryinfo/data`.
Each country's point is the area-weighted centroid of its largest polygon (its main land mass, so
overseas territories do not pull it into the sea), in WGS 84 degrees rounded to 4 places.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "data" / "centroids" / "countries.csv"


def ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """(signed area, x, y) of a closed ring by the shoelace formula."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return area, cx / (6 * area), cy / (6 * area)


def polygons(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def main(folder: Path) -> None:
    rows = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        iso = data.get("ISO") or {}
        code = iso.get("alpha2") if isinstance(iso, dict) else None
        features = (data.get("geoJSON") or {}).get("features") or []
        if not code or not features:
            continue
        rings = [ring for feature in features for ring in polygons(feature["geometry"])]
        _area, lon, lat = max((ring_centroid(r) for r in rings), key=lambda c: abs(c[0]))
        rows.append((code.upper(), data["name"], round(lat, 4), round(lon, 4)))
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["country_code", "name", "latitude", "longitude"])
        writer.writerows(sorted(set(rows)))
    print(f"wrote {len(rows)} countries to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
