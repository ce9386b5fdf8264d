from jichitai.signatures import pki, services
from jichitai.tenancy.tests.isolation import object_kwargs


def _anchor(organization):
    return services.add_trust_anchor(
        actor=None,
        organization=organization,
        name="伊勢市の認証局",
        data=pki.make_ca().certificate_pem.encode(),
    ).pk


object_kwargs.register("anchor_id", _anchor)
