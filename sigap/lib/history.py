"""The "Riwayat" of a record: who changed what, from which value to which, newest first."""

from dataclasses import dataclass


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    when: object
    who: object
    action: str
    changes: list[Change]


ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def history_entries(record, *, hidden_fields: frozenset[str] = frozenset(), mask=None) -> list[HistoryEntry]:
    """Pairs each historical row with the one before it. Two queries whatever the length of the history.

    ``hidden_fields`` are shown as changed without their values; ``mask(field, value)`` may replace a value
    (e.g. a masked NIK) for readers who may not see it.
    """
    rows = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    model = record._meta.model
    labels = {f.name: str(f.verbose_name) for f in model._meta.fields}
    entries = []
    previous = None
    for row in rows:
        changes = []
        if previous is not None:
            for change in row.diff_against(previous).changes:
                if change.field in hidden_fields:
                    continue
                old, new = change.old, change.new
                if mask is not None:
                    old, new = mask(change.field, old), mask(change.field, new)
                changes.append(Change(labels.get(change.field, change.field), old, new))
        entries.append(HistoryEntry(row.history_date, row.history_user, ACTIONS[row.history_type], changes))
        previous = row
    entries.reverse()
    return entries
