"""The dates a document may carry: from SIGAP's earliest date (1 January 2000, or the operator's) to today, and
what is planned up to the end of the year after next; list filters within their own bounds."""

import datetime

import pytest
from django.utils import translation

from sigap.lib.dates import (
    LATEST_FILTER_DATE, check_document_date, check_planned_date, earliest_date, filter_date_refusal,
    latest_planned_date,
)
from sigap.lib.errors import DomainError

TODAY = datetime.date(2026, 3, 14)


def refusal(check, day, **kwargs) -> DomainError | None:
    try:
        check(day, field="date", today=TODAY, **kwargs)
    except DomainError as error:
        return error
    return None


def test_the_earliest_date_is_the_first_of_january_2000_unless_the_operator_sets_another():
    assert earliest_date() == datetime.date(2000, 1, 1)


@pytest.mark.security
@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(1999, 12, 31)])
def test_a_document_dated_before_the_earliest_date_is_refused_naming_the_range(day):
    error = refusal(check_document_date, day)
    assert error is not None and error.field == "date"
    assert error.message == "The date must be between 1 January 2000 and today."


@pytest.mark.security
def test_the_refusal_names_the_range_in_indonesian_date_style():
    with translation.override("id"):
        error = refusal(check_document_date, datetime.date(1, 1, 1))
    assert error.message == "Tanggal harus antara 1 Januari 2000 dan hari ini."


def test_a_document_may_be_dated_from_the_earliest_date_to_today():
    assert refusal(check_document_date, datetime.date(2000, 1, 1)) is None
    assert refusal(check_document_date, TODAY) is None


@pytest.mark.security
def test_a_document_dated_in_the_future_is_refused():
    error = refusal(check_document_date, TODAY + datetime.timedelta(days=1))
    assert error.message == "The date cannot be in the future."


@pytest.mark.security
def test_an_operator_set_earliest_date_is_honoured(settings):
    settings.SIGAP_EARLIEST_DATE = datetime.date(2020, 3, 1)
    assert refusal(check_document_date, datetime.date(2020, 3, 1)) is None
    error = refusal(check_document_date, datetime.date(2020, 2, 29))
    assert error.message == "The date must be between 1 March 2020 and today."
    assert refusal(check_planned_date, datetime.date(2020, 2, 29)) is not None


@pytest.mark.security
def test_what_is_planned_may_be_ahead_up_to_the_end_of_the_year_after_next():
    assert latest_planned_date(TODAY) == datetime.date(2028, 12, 31)
    assert refusal(check_planned_date, datetime.date(2028, 12, 31)) is None
    assert refusal(check_planned_date, datetime.date(2000, 1, 1)) is None
    for day in (datetime.date(2029, 1, 1), datetime.date(9999, 12, 31), datetime.date(1999, 12, 31)):
        error = refusal(check_planned_date, day)
        assert error.message == "The date must be between 1 January 2000 and 31 December 2028."


@pytest.mark.security
def test_a_list_filter_takes_dates_from_the_earliest_date_to_2100():
    assert filter_date_refusal(datetime.date(2000, 1, 1)) is None
    assert filter_date_refusal(LATEST_FILTER_DATE) is None
    assert LATEST_FILTER_DATE == datetime.date(2100, 12, 31)
    for day in (datetime.date(1, 1, 1), datetime.date(1999, 12, 31), datetime.date(2101, 1, 1)):
        assert filter_date_refusal(day) == "Give a date between 1 January 2000 and 31 December 2100."
