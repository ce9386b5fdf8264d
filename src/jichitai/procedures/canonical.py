"""The canonical form an applicant signs.

The signed content is the JSON Canonicalization Scheme (RFC 8785) serialisation, in UTF-8, of::

    {"procedure": "<全国地方公共団体コード>/<procedure id>", "form_version": <n>, "data": <the data>}

``data`` is the application's data object exactly as submitted (the JSON body of the API request,
or, on the resident's page, the values shown on the confirmation page). Binding the procedure and
form version stops a signature made for one procedure from being replayed on another. The
signature is a CMS (PKCS #7) SignedData, detached, DER-encoded — what JPKI signing software
produces over a file.
"""

import rfc8785


def canonical_content(procedure, form_version_number: int, data: dict) -> bytes:
    return rfc8785.dumps(
        {
            "procedure": f"{procedure.organization.code}/{procedure.pk}",
            "form_version": form_version_number,
            "data": data,
        }
    )
