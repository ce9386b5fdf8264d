"""What the tests of kept facet counts watch: each time the counts are taken afresh (rather than
kept or brought up to date from the change log)."""

from jichitai.opendata import facets


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
