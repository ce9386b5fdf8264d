from jichitai.ocr.tests.factories import paper_template, read_page
from jichitai.tenancy.tests.isolation import object_kwargs


def _page(organization):
    page, _truth = read_page(paper_template(organization))
    return page.pk


object_kwargs.register("paper_template_id", lambda organization: paper_template(organization).pk)
object_kwargs.register("ocr_batch_id", lambda organization: _page_batch(organization))
object_kwargs.register("page_id", _page)
object_kwargs.register("field_name", lambda organization: "name")


def _page_batch(organization):
    page, _truth = read_page(paper_template(organization))
    return page.batch_id
