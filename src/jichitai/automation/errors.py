"""How a step tells the runner what went wrong."""


class BusinessError(Exception):
    """業務エラー: the input or the target's page is not what the scenario expects (a missing
    column, a malformed workbook, a changed screen). Retrying does not help; the item goes to a
    person's work queue with a message naming the file, row, column or selector."""


class Skip(Exception):
    """The item is not processed, and that is not an error: it was applied before, a person
    handled it, or a condition of the scenario (``item.skip_if``) says it is out of scope."""


class SystemFailure(Exception):
    """システムエラー: the target or the network failed; the item is retried with backoff."""


class NotApplied(SystemFailure):
    """The target refused the request before applying it (HTTP 5xx, connection refused): safe to
    retry even after the item's first write began."""


class DefinitionError(Exception):
    """A staff-defined scenario is not valid; ``problems`` are Japanese messages naming the step
    path and the line of the YAML."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems
