"""One exception family. The CLI turns each into one sentence and an exit code."""


class OlshopError(Exception):
    """Something the seller can fix: `message` says what was wrong, `hint` what to type."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} {self.hint}"


class InputError(OlshopError):
    """A value as typed could not be understood (money, date, phone, quantity...)."""


class NotFound(OlshopError):
    """No customer, product or booking matches what was typed."""


class Conflict(OlshopError):
    """The request clashes with the ledger: duplicate, illegal status move, overbooking."""


class LedgerError(OlshopError):
    """The ledger files could not be read or written (damaged, busy, disk trouble)."""
