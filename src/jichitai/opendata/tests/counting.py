"""What the tests of kept facet counts watch: each time the counts are taken afresh (rather than
kept or brought up to date from the change log); and many datasets written by one statement."""

from jichitai.opendata import facets, search_index
from jichitai.opendata.models import Dataset


def record_fresh_counts(monkeypatch) -> list:
    """From now on, the arguments of every fresh count are appended to the list returned."""
    counted_afresh: list = []
    for name in ("_counted", "_one_pass"):
        original = getattr(facets, name)

        def counting(*args, _original=original, **kwargs):
            counted_afresh.append(args)
            return _original(*args, **kwargs)

        monkeypatch.setattr(facets, name, counting)
    return counted_afresh


def bulk_created(organization, count: int) -> list[int]:
    """``count`` public datasets written in one INSERT statement, with their facet keys."""
    keys = "\n".join(
        [
            search_index.key("license_id", "CC-BY-4.0"),
            search_index.key("organization", organization.pk),
        ]
    )
    Dataset.objects.bulk_create(
        [
            Dataset(
                organization=organization,
                name=f"bulk-{number:04d}",
                title=f"一覧 {number}",
                private=False,
                search_text=f"一覧 {number}",
                search_keys=keys,
            )
            for number in range(count)
        ]
    )
    return list(
        Dataset.objects.filter(name__startswith="bulk-").order_by("pk").values_list("pk", flat=True)
    )
