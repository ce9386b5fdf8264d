"""Real objects of the paper intake for tests: a procedure whose form matches the 現況届 layout, its
template, and pages read from generated scans."""

import random

import numpy as np
from django.core.files.base import ContentFile

from jichitai.ocr import demo, samples, services
from jichitai.ocr.models import Batch, BatchFile
from jichitai.tenancy.tests.factories import DivisionFactory


def paper_template(organization, *, double_entry=False, division=None):
    procedure = demo.paper_procedure(
        organization, division or DivisionFactory(organization=organization)
    )
    return demo.paper_template(procedure, double_entry=double_entry)


def read_page(paper, *, seed=1, written=None, received_on=None):
    """A page read from a generated scan (the job's own reading step), and what it says; its batch
    received on ``received_on`` (default today)."""
    rng = random.Random(seed)
    generated, truth = samples.random_values("genkyo", rng)
    written = {**generated, **(written or {})}
    image = samples.filled_form("genkyo", written, seed=seed)
    batch = Batch.objects.create(
        organization=paper.organization,
        template=paper,
        **({"received_on": received_on} if received_on else {}),
    )
    source = BatchFile(batch=batch, original_name="scan.png", pages=1, processed=True)
    source.file.save("scan.png", ContentFile(samples.png_bytes(image)), save=False)
    source.save()
    page = services.read_page(
        batch=batch,
        stored=source,
        number=1,
        image=np.asarray(image),
        extractor=services.extractor_for(paper=paper),
    )
    return page, truth
