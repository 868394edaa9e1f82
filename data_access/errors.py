"""Errors a user can act on. Their message is shown as it is (one line), never a traceback."""


class UserError(Exception):
    """A problem the user can fix (bad argument, unknown commune, bad file): one line, exit code 2."""


CliError = UserError
