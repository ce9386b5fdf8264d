"""The 5-star openness rating of a dataset (Tim Berners-Lee's scheme, as used by the national
catalog): it counts only when the license is open, and rises with the best resource format.

★1 on the web under an open license (PDF, images …); ★2 structured (Excel); ★3 in an open format
(CSV, JSON, GeoJSON, XML); ★4 described with URIs (RDF: Turtle, JSON-LD, RDF/XML). ★5 (linked to
other people's data) cannot be judged from the file alone, so it is not awarded automatically."""

from jichitai.opendata.licenses import LICENSES

FORMAT_STARS = {
    "XLS": 2,
    "XLSX": 2,
    "ODS": 3,
    "CSV": 3,
    "TSV": 3,
    "JSON": 3,
    "GEOJSON": 3,
    "XML": 3,
    "KML": 3,
    "TTL": 4,
    "RDF": 4,
    "JSON-LD": 4,
    "JSONLD": 4,
}


def format_stars(resource_format: str) -> int:
    return FORMAT_STARS.get((resource_format or "").upper(), 1)


def openness_stars(license_id: str, formats: list[str]) -> int:
    if license_id not in LICENSES or not formats:
        return 0
    return max(format_stars(f) for f in formats)
