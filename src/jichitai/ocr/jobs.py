"""The background job kind of paper intake: reading a batch of scans (``ocr.batch``)."""

from jichitai.jobs.registry import job_kind
from jichitai.ocr import pages as page_io
from jichitai.ocr.models import Batch, ScanPage
from jichitai.ocr.services import extractor_for, page_read


@job_kind("ocr.batch")
def process_batch(context, *, batch_id: int) -> dict:
    """Reads every page of the batch; pages already read (an interrupted job run again) are
    skipped. A file that cannot be read is marked with its error and the others go on."""
    batch = Batch.objects.select_related("template").get(pk=batch_id)
    paper = batch.template
    extractor = extractor_for(paper=paper)
    files = list(batch.files.filter(error=""))
    total = 0
    for stored in files:
        if not stored.pages:
            try:
                with stored.file.open("rb") as handle:
                    stored.pages = page_io.count_pages(handle.read())
            except (OSError, page_io.PageError) as error:
                stored.error = (
                    str(error)[:500] if isinstance(error, page_io.PageError) else "開けません。"
                )
                stored.processed = True
            stored.save(update_fields=["pages", "error", "processed"])
        total += stored.pages if not stored.error else 0
    done = ScanPage.objects.filter(batch=batch).count()
    context.progress(done, total, "")
    for stored in files:
        if stored.error or stored.processed:
            continue
        try:
            with stored.file.open("rb") as handle:
                data = handle.read()
            for number, image in enumerate(page_io.load_pages(data, dpi=paper.dpi), start=1):
                if ScanPage.objects.filter(source=stored, number=number).exists():
                    continue
                page = page_read(
                    batch=batch, stored=stored, number=number, image=image, extractor=extractor
                )
                with context.item():
                    # Checked again under the job's lease: an attempt that was taken over
                    # while it read stops here instead of saving the page a second time.
                    if ScanPage.objects.filter(source=stored, number=number).exists():
                        continue
                    page.save()
                done += 1
                context.progress(done, total, f"{stored.original_name} {number}ページ")
        except page_io.PageError as error:
            stored.error = str(error)[:500]
        stored.processed = True
        stored.save(update_fields=["error", "processed"])
    pages = ScanPage.objects.filter(batch=batch)
    return {
        "pages": pages.count(),
        "not_aligned": pages.filter(status=ScanPage.Status.NOT_ALIGNED).count(),
        "file_errors": batch.files.exclude(error="").count(),
    }
