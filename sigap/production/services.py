import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.accounts.models import Role
from sigap.dashboards import figures
from sigap.dashboards.models import Measure
from sigap.lib.errors import DomainError
from sigap.regions.models import code_within
from sigap.partners.models import Partner
from sigap.people.models import Person
from sigap.production.models import MAX_BATCH, Batch
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


@transaction.atomic
def production_record(*, producer: Partner | Person, product, quantity: int, produced_on: datetime.date, by,
                      code: str = "", note: str = "", training=None) -> Batch:
    """Record output of a partner or participant. It waits for inspection and is not yet stock."""
    _check_reporter(by=by, producer=producer)
    if product.kind != "product":
        raise DomainError(_("Choose a product, not a raw material."), field="product")
    if not 1 <= quantity <= MAX_BATCH:
        raise DomainError(_("The quantity must be between 1 and %(max)s.") % {"max": f"{MAX_BATCH:,}".replace(",", ".")},
                          field="quantity")
    if produced_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="produced_on")
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
        batch.code = f"{produced_on:%Y%m%d}-{batch.pk:05d}"
        batch.save(update_fields=["code"])
    figures.record([(batch.region_id, product.pk, Measure.PRODUCED, training.pk if training else "", quantity, 0)],
                   day=produced_on)
    return batch
