class DomainError(Exception):
    """A business rule refused an action. The message is translated and safe to show to the user.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def show_on_form(form, error: DomainError, *, aliases: dict[str, str] | None = None) -> None:
    """Put a refused rule's message on the form: beside its field when the form has one, else above the form.

    ``aliases`` maps a service's field name to the form's (a service's "producer" is the form's "partner").
    """
    field = (aliases or {}).get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)
