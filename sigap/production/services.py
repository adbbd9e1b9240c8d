import datetime
from collections import defaultdict

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.accounts.models import Role
from sigap.dashboards import figures
from sigap.dashboards.models import Measure
from sigap.items.models import Item
from sigap.lib.dates import check_document_date
from sigap.lib.errors import DomainError
from sigap.lib.spreadsheet import (
    LOOKUP_CHUNK, MAX_PROBLEMS_SHOWN, DuplicateRows, ImportRefused, Problem, Report, by_key,
)
from sigap.regions.models import code_within
from sigap.partners.models import Partner
from sigap.people.models import Kind as PersonKind, Person
from sigap.production.forms import PRODUCTION_IMPORT_COLUMNS
from sigap.production.models import MAX_BATCH, Batch, BatchLine, Status
from sigap.stock.services import location_for


def _check_reporter(*, by, producer) -> None:
    if by.role == Role.PARTNER:
        if not (isinstance(producer, Partner) and producer.pk == by.partner_id):
            raise DomainError(_("A partner reports only its own production."), field="producer")
        return
    if not (by.is_officer or by.role == Role.INSTRUCTOR):
        raise DomainError(_("Your role does not record production."))
    if not code_within(producer.region_id, by.region_code):
        raise DomainError(_("This producer is outside your region."), field="producer")


def _check_product(product) -> None:
    if product.kind != "product":
        raise DomainError(_("Choose a product, not a raw material."), field="product")


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_BATCH:
        raise DomainError(_("The quantity must be between 1 and %(max)s.") % {"max": f"{MAX_BATCH:,}".replace(",", ".")},
                          field="quantity")


def _check_produced_on(produced_on: datetime.date, *, today: datetime.date | None = None) -> None:
    check_document_date(produced_on, field="produced_on", today=today)


def _automatic_code(produced_on: datetime.date, pk: int) -> str:
    return f"{produced_on:%Y%m%d}-{pk:05d}"


@transaction.atomic
def production_record(*, producer: Partner | Person, product, quantity: int, produced_on: datetime.date, by,
                      code: str = "", note: str = "", training=None) -> Batch:
    """Record output of a partner or participant. It waits for inspection and is not yet stock."""
    _check_reporter(by=by, producer=producer)
    _check_product(product)
    _check_quantity(quantity)
    _check_produced_on(produced_on)
    code = code.strip().upper()
    if code and Batch.objects.filter(code=code).exists():
        raise DomainError(_("Another batch already has this code."), field="code")
    batch = Batch(
        code=code or f"TMP-{timezone.now().timestamp()}", product=product, quantity=quantity, produced_on=produced_on,
        producer_partner=producer if isinstance(producer, Partner) else None,
        producer_person=producer if isinstance(producer, Person) else None,
        region=producer.region, location=location_for(producer), note=note, reported_by=by, training=training,
    )
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError:
        raise DomainError(_("Another batch already has this code."), field="code") from None
    if not code:
        batch.code = _automatic_code(produced_on, batch.pk)
        batch.save(update_fields=["code"])
    _count_production([batch])
    return batch


@transaction.atomic
def class_batch_save(*, training, produced_on: datetime.date, lines: list[tuple[Person, int]], by) -> Batch | None:
    """A training class's output of one day as one batch, a line per participant who made something: the health
    expert inspects the day once, and each line keeps whose units they are and where they were made (the
    participant's home, where accepted units enter stock). Saving the day again changes its batch until it is
    inspected, and refuses afterwards; a day with no output keeps no batch. The batch lies in the training office's
    region, as the training does. Returns the day's batch, or None."""
    for person, quantity in lines:
        _check_reporter(by=by, producer=person)
        if quantity:
            _check_quantity(quantity)
    _check_product(training.product)
    _check_produced_on(produced_on)
    lines = [(person, quantity) for person, quantity in lines if quantity]
    total = sum(quantity for _person, quantity in lines)
    if total > MAX_BATCH:
        _check_quantity(total)
    batch = (Batch.objects.select_for_update()
             .filter(training=training, produced_on=produced_on, producer_partner=None, producer_person=None)
             .first())
    old = {line.person_id: line.quantity for line in batch.lines.all()} if batch is not None else {}
    if old == {person.pk: quantity for person, quantity in lines}:
        return batch
    if batch is not None and batch.status != Status.AWAITING_INSPECTION:
        raise DomainError(_("The output of %(day)s was inspected already (batch %(code)s); it cannot change.")
                          % {"day": produced_on.strftime("%d-%m-%Y"), "code": batch.code})
    if batch is not None:
        # The dashboards counted the old output on that day; they count the new one instead.
        _count_production([Batch(region_id=batch.region_id, product_id=batch.product_id, training_id=training.pk,
                                 produced_on=produced_on, quantity=-batch.quantity)])
        batch.lines.all().delete()
        if not lines:
            batch.delete()
            return None
        batch.quantity, batch.reported_by = total, by
        batch.save(update_fields=["quantity", "reported_by"])
    else:
        batch = Batch(code=f"TMP-{timezone.now().timestamp()}", product=training.product, quantity=total,
                      produced_on=produced_on, region=training.office.region,
                      location=location_for(training.office), note=training.title[:255], reported_by=by,
                      training=training)
        batch.save()
        batch.code = _automatic_code(produced_on, batch.pk)
        batch.save(update_fields=["code"])
    BatchLine.objects.bulk_create([BatchLine(batch=batch, person=person, location=location_for(person),
                                             quantity=quantity) for person, quantity in lines])
    _count_production([batch])
    return batch


def _count_production(batches) -> None:
    """The dashboards' production figures of these batches, on the day each was made."""
    by_day = defaultdict(list)
    for batch in batches:
        by_day[batch.produced_on].append((batch.region_id, batch.product_id, Measure.PRODUCED,
                                          batch.training_id or "", batch.quantity, 0))
    for day, entries in sorted(by_day.items()):
        figures.record(entries, day=day)


IMPORT_BATCH_SIZE = 2000


def _import_producer(row, report: Report, *, partners: dict, people: dict):
    """The producer a row names, by a partner's NIB or a participant's NIK (one of the two), and its column."""
    if not row.has("partner_nib", "person_nik"):
        return None, None
    nib, nik = row.values["partner_nib"], row.values["person_nik"]
    if bool(nib) == bool(nik):
        report.add(row.number, "partner_nib", _("Choose either a partner or a participant."))
        return None, None
    if nib:
        if nib not in partners:
            report.add(row.number, "partner_nib", _("No active IKM partner with this NIB in your region."))
        return partners.get(nib), "partner_nib"
    if nik not in people:
        report.add(row.number, "person_nik", _("No participant with this NIK in your region."))
    return people.get(nik), "person_nik"


@transaction.atomic
def production_import(*, rows, by, allow_duplicates: bool = False) -> int:
    """Record the production reports of an Excel import, all or none (``rows`` from ``read_rows`` with
    PRODUCTION_IMPORT_COLUMNS).

    Each row passes production_record's own checks: a producer in the officer's region, a product rather than a
    raw material, a quantity in range, a date from SIGAP's earliest date to today, a batch code no other batch has
    (nor another row). As on the form, the producer is an active partner or a participant the officer sees, and the
    product is active. Producers, products and codes are looked up once for the whole file; batches are written in
    bulk and numbered like production_record's. Returns how many were recorded.

    A row whose producer, product, date and quantity a batch already has is a report already recorded (the same
    file uploaded twice): the file is refused with those rows (DuplicateRows) unless ``allow_duplicates``, the
    operator's confirmation after seeing them.
    """
    if not by.is_officer:
        raise DomainError(_("Only industry office staff import production reports."))
    report = Report(PRODUCTION_IMPORT_COLUMNS)
    rows = list(rows)
    partners = by_key(Partner.objects.visible_to(by).active(), "nib",
                      (row.values.get("partner_nib") for row in rows))
    people = by_key(Person.objects.visible_to(by).filter(kind=PersonKind.PARTICIPANT), "nik",
                    (row.values.get("person_nik") for row in rows))
    products = by_key(Item.objects.active(), "code", (row.values.get("product") for row in rows))
    codes = [(row.values.get("code") or "").strip().upper() for row in rows]
    taken = by_key(Batch.objects.only("code"), "code", codes)
    first_row_of = {}
    reports, numbers = [], []
    product_codes = None  # code -> name of the products, loaded for the first unknown code
    today = timezone.localdate()
    for row, code in zip(rows, codes):
        report.add_row(row)
        values, number = row.values, row.number
        producer, column = _import_producer(row, report, partners=partners, people=people)
        if producer is not None:
            report.check(number, column, _check_reporter, by=by, producer=producer)
        product = products.get(values.get("product"))
        if values.get("product"):
            if product is None:
                if product_codes is None:
                    product_codes = dict(Item.objects.products().active().values_list("code", "name"))
                report.add_unknown(number, "product", _("No active product has this code."), values["product"],
                                   product_codes)
            else:
                report.check(number, "product", _check_product, product)
        if "quantity" in values:
            report.check(number, "quantity", _check_quantity, values["quantity"])
        if "produced_on" in values:
            report.check(number, "produced_on", _check_produced_on, values["produced_on"], today=today)
        if code in taken:
            report.add(number, "code", Batch._meta.get_field("code").error_messages["unique"])
        elif code in first_row_of:
            report.add(number, "code", _("This batch code is also on row %(row)s.") % {"row": first_row_of[code]})
        elif code:
            first_row_of[code] = number
        if not report:
            reports.append((code, producer, product, values["quantity"], values["produced_on"], values["note"]))
            numbers.append(number)
    report.refuse_if_any()
    if not allow_duplicates:
        _refuse_recorded(reports, numbers)
    del rows
    try:
        with transaction.atomic():
            _create_batches(reports, by=by)
    except IntegrityError:
        raise ImportRefused.file(_("Someone recorded a batch with one of these codes while the file was checked; "
                                   "upload it again to see which.")) from None
    return len(reports)


def _natural_key(producer, product, produced_on, quantity) -> tuple:
    kind = "partner" if isinstance(producer, Partner) else "person"
    return kind, producer.pk, product.pk, produced_on, quantity


def _refuse_recorded(reports: list[tuple], numbers: list[int]) -> None:
    """Raises DuplicateRows listing the rows whose producer, product, date and quantity a batch already has; the
    batches are looked up by the file's dates and products in a few queries."""
    wanted = {_natural_key(producer, product, produced_on, quantity): None
              for _code, producer, product, quantity, produced_on, _note in reports}
    if not wanted:
        return
    dates = sorted({key[3] for key in wanted})
    products = sorted({key[2] for key in wanted})
    for start in range(0, len(dates), LOOKUP_CHUNK):
        for partner, person, product, produced_on, quantity, code in (
                Batch.objects.filter(produced_on__in=dates[start:start + LOOKUP_CHUNK], product_id__in=products)
                .values_list("producer_partner_id", "producer_person_id", "product_id", "produced_on", "quantity",
                             "code").order_by("pk")):
            key = ("partner", partner, product, produced_on, quantity) if partner else (
                "person", person, product, produced_on, quantity)
            if key in wanted and wanted[key] is None:
                wanted[key] = code
    problems = []
    for (_code, producer, product, quantity, produced_on, _note), number in zip(reports, numbers):
        recorded = wanted[_natural_key(producer, product, produced_on, quantity)]
        if recorded is not None:
            problems.append(Problem(number, "", _(
                "Already recorded as batch %(code)s: the same producer, product, date and quantity.") % {
                "code": recorded}))
    if problems:
        raise DuplicateRows(problems[:MAX_PROBLEMS_SHOWN], total=len(problems))


def _reserve_pks(count: int) -> list[int]:
    """``count`` primary keys for new batches that no other row will take, so that an automatic code (which
    carries the key) is known before the batch is written and each batch is written once. They come from
    PostgreSQL's sequence; on SQLite, from past the highest key ever used, which no one else can take meanwhile
    since SIGAP's SQLite transactions hold the write lock from their start (IMMEDIATE). Were that not so, the
    insert would fail rather than reuse a key."""
    if not count:
        return []
    quote = connection.ops.quote_name
    table, column = Batch._meta.db_table, Batch._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, column, count])
            return [pk for (pk,) in cursor.fetchall()]
        cursor.execute(f"SELECT MAX(n) FROM (SELECT MAX({quote(column)}) AS n FROM {quote(table)} "
                       f"UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)", [table])
        highest = cursor.fetchone()[0] or 0
    return list(range(highest + 1, highest + 1 + count))


def _create_batches(reports: list[tuple], *, by) -> None:
    """Writes the checked reports in bulk; a batch without a code gets production_record's automatic one."""
    locations = {producer: location_for(producer) for producer in {entry[1] for entry in reports}}
    pks = iter(_reserve_pks(len(reports)))
    for start in range(0, len(reports), IMPORT_BATCH_SIZE):
        batches = []
        for code, producer, product, quantity, produced_on, note in reports[start:start + IMPORT_BATCH_SIZE]:
            pk = next(pks)
            # Keys rather than objects: setting a hundred thousand related objects costs seconds.
            batches.append(Batch(
                pk=pk, code=code or _automatic_code(produced_on, pk), product_id=product.pk, quantity=quantity,
                produced_on=produced_on, producer_partner_id=producer.pk if isinstance(producer, Partner) else None,
                producer_person_id=producer.pk if isinstance(producer, Person) else None,
                region_id=producer.region_id, location_id=locations[producer].pk, note=note, reported_by_id=by.pk))
        Batch.objects.bulk_create(batches)
        _count_production(batches)
