"""One error hierarchy for what an operator must fix.

Every subclass prints as a single line; the CLI and the job entry points turn it into a
non-zero exit without a Python or Java stack trace.
"""


class CareerLakeError(Exception):
    """Base of every error an operator is expected to act on."""

    exit_code = 2


class ConfigError(CareerLakeError):
    """A config file is missing, malformed, or has an unknown, missing or mistyped key."""


class MissingSourceError(CareerLakeError):
    """A configured landing folder or input table does not exist."""


class UnknownJobError(CareerLakeError):
    """A job name that is not in the pipeline."""


class QualityBreachError(CareerLakeError):
    """A critical expectation failed; nothing was written to the target table."""

    exit_code = 3


class WriteConflictError(CareerLakeError):
    """A Delta write kept conflicting with a concurrent writer after bounded retries."""


class FetchFailedError(CareerLakeError):
    """Every configured board failed to fetch: the network, the boards or the config need a look."""
