"""olshop: the command-line toolkit of a solo online seller."""

__version__ = "0.1.0"
