"""Participatory budgeting: the errors its use cases raise (the message is for the person)."""


class BudgetingError(ValueError):
    """A request that cannot be done; the message is for the person (Spanish)."""


class AlreadyVoted(BudgetingError):
    pass


class CostFrozen(BudgetingError):
    """A project's cost cannot change once voting opened: the ballot showed that cost."""


class DistrictBudgetError(BudgetingError):
    """The district budgets cannot be saved as typed."""
