"""The tuning forms' values: the 証明書交付請求書 is filled from names the other layouts never use and
from addresses of Mie whose postal code names the same 市区町村, so the dictionary checks of a read
are met by values they were not written around."""

import random

from jichitai.ocr import dictionary, samples
from jichitai.ocr.sample_values import FAMILY, RARE_FAMILY


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


def test_the_health_insurance_layout_is_filled_from_rare_names_and_showa_birth_dates():
    rng = random.Random(4)
    for _ in range(20):
        written, truth = samples.random_values("kokuho", rng)
        assert any(truth["name"].startswith(family) for family, _kana in RARE_FAMILY)
        assert "1940-01-01" <= truth["birth"] <= "1988-12-31"
        assert written["birth"][0] == str(int(truth["birth"][:4]) - 1925)  # 昭和 years
