"""The tuning forms' values: the 証明書交付請求書 is filled from names the other layouts never use and
from addresses of Mie whose postal code names the same 市区町村, so the dictionary checks of a read
are met by values they were not written around."""

import random

from jichitai.ocr import dictionary, samples
from jichitai.ocr.sample_values import FAMILY


def test_the_other_layout_is_filled_from_other_names_and_any_address_in_mie():
    rng = random.Random(3)
    families = {family for family, _kana in FAMILY}
    addresses = set()
    for _ in range(30):
        _written, truth = samples.random_values("kofu", rng)
        assert not any(truth["name"].startswith(family) for family in families)
        check = dictionary.check_address(truth["address"])
        assert check.municipality
        assert dictionary.municipality_of_postal_code(truth["postal"]) == dictionary.as_written(
            check.municipality
        )
        addresses.add(truth["address"])
    assert len(addresses) == 30
