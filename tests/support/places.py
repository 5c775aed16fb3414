"""Places for the region tests: regions' own bounding boxes, and two invented articles naming regions.

The bounding boxes are the regions' own, from their published boundaries (rounded outwards), not
from the data file: a point outside one means the file or the lookup put the region somewhere else.
"""

from __future__ import annotations

from pathlib import Path

BOXES = {
    # name, country hint: (south, north, west, east)
    ("Rift Valley", "KE"): (-3.1, 5.1, 34.4, 37.6),
    ("Nyanza", "KE"): (-1.8, 0.6, 33.9, 35.4),
    ("Coast", "KE"): (-4.8, 0.1, 37.5, 41.9),
    ("Turkana", "KE"): (1.6, 5.1, 34.0, 36.7),
    ("Kisumu", "KE"): (-0.6, 0.1, 34.4, 35.4),
    ("Texas", None): (25.8, 36.5, -106.7, -93.5),
    ("California", None): (32.5, 42.0, -124.5, -114.1),
    ("Bavaria", None): (47.2, 50.6, 8.9, 13.9),
    ("Maharashtra", None): (15.6, 22.1, 72.6, 80.9),
}


def inside(box: tuple[float, float, float, float], latitude: float, longitude: float) -> bool:
    south, north, west, east = box
    return south <= latitude <= north and west <= longitude <= east


def article(title: str, date: str, paragraphs: list[str]) -> str:
    return f"# {title}\n\n*By Achieng Odhiambo* · {date}\n\n" + "\n\n".join(paragraphs) + "\n"


KENYA = article(
    "Farmers in Kisumu County count losses as floods spread to the Rift Valley",
    "2024-04-29",
    [
        "Hundreds of families in Kisumu County spent the night in schools on Sunday after the Nyando"
        " River burst its banks, the county's disaster management office said.",
        "In the Rift Valley, the Kenya Red Cross said roads to several villages in Baringo and Turkana"
        " had been cut off, and that it was sending food by air.",
        "Officials in Kisumu County said they would ask the national government for help to rebuild"
        " the bridges washed away in the floods.",
    ],
)
TEXAS = article(
    "Kenyan students in Texas raise funds for flood victims at home",
    "2024-05-06",
    [
        "A group of Kenyan students at universities in Texas has raised money for families displaced"
        " by the floods, the group's chairman said on Saturday.",
        "The students said the money would be sent through churches in Texas that work with"
        " charities in western Kenya.",
    ],
)


REGIONS_IN_ARTICLES = {("Kisumu", "KE"), ("Rift Valley", "KE"), ("Turkana", "KE"), ("Texas", None)}
"""(entity name, country hint) the two articles must produce, each a key of BOXES."""


def write_region_articles(raw: Path) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "floods-kenya.md").write_text(KENYA, encoding="utf-8")
    (raw / "floods-texas.md").write_text(TEXAS, encoding="utf-8")
