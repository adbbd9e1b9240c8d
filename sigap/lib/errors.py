class DomainError(Exception):
    """A business rule refused an action. The message is translated and safe to show to the user.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
