"""Errors the command line reports as one line on stderr with exit status 2."""


class CommandError(Exception):
    """A command failed in a way the user can fix; printed as one line, exit status 2."""
