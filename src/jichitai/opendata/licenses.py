"""The licenses a dataset may carry. All are open licenses; CC BY 4.0 is the default, as the
government's 公共データ利用規約 (PDL 1.0) is compatible with it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class License:
    id: str
    title: str
    url: str
    family: str

    def as_ckan(self) -> dict:
        return {
            "id": self.id,
            "title": str(self.title),
            "url": self.url,
            "status": "active",
            "maintainer": "",
            "family": self.family,
            "od_conformance": "approved",
            "osd_conformance": "not reviewed",
            "domain_content": True,
            "domain_data": True,
            "domain_software": False,
            "is_generic": False,
            "is_okd_compliant": True,
            "is_osi_compliant": False,
        }


LICENSES = {
    license.id: license
    for license in (
        License(
            "CC-BY-4.0",
            _("クリエイティブ・コモンズ 表示 4.0 国際 (CC BY 4.0)"),
            "https://creativecommons.org/licenses/by/4.0/deed.ja",
            "Creative Commons",
        ),
        License(
            "CC0-1.0",
            _("CC0 1.0 (パブリック・ドメイン提供)"),
            "https://creativecommons.org/publicdomain/zero/1.0/deed.ja",
            "Creative Commons",
        ),
        License(
            "PDL-1.0",
            _("公共データ利用規約 第1.0版 (PDL 1.0)"),
            "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
            "Public Data License",
        ),
        License(
            "ODbL-1.0",
            _("Open Data Commons Open Database License (ODbL) 1.0"),
            "https://opendatacommons.org/licenses/odbl/1-0/",
            "Open Data Commons",
        ),
        License(
            "CC-BY-SA-4.0",
            _("クリエイティブ・コモンズ 表示-継承 4.0 国際 (CC BY-SA 4.0)"),
            "https://creativecommons.org/licenses/by-sa/4.0/deed.ja",
            "Creative Commons",
        ),
    )
}
DEFAULT_LICENSE = "CC-BY-4.0"


def license_choices() -> list[tuple[str, str]]:
    return [(license.id, str(license.title)) for license in LICENSES.values()]
