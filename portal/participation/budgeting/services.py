"""Participatory budgeting use cases: the domain's public surface.

The views, the API, the command line and other domains call these names; they live in
modules that import one way only, each from those before it:

- :mod:`.errors` (what a use case refuses), :mod:`.keys` (keyed hashes, codes),
- :mod:`.processes` (processes, projects, the rulebook, proposals and their review),
- :mod:`.census` (who may vote: the census, verification, one-time codes),
- :mod:`.ballots` (checking, casting, changing and listing ballots),
- :mod:`.counting` (the count, in the background) and :mod:`.results` (stored results,
  publication), :mod:`.exchange` (pabulib files), :mod:`.labels` (results in words).

Services take the municipality first and only flush.
"""
from portal.participation.budgeting.errors import (  # noqa: F401
    AlreadyVoted, BudgetingError, CostFrozen, DistrictBudgetError)
from portal.participation.budgeting.keys import (  # noqa: F401
    code_hash, entry_hash, new_code, normalize_document, owner_hash, person_hash, RECEIPT_ALPHABET)
from portal.participation.budgeting.processes import (  # noqa: F401
    ballot_projects, close_voting, get_process, get_project, has_processes, my_proposals, open_voting,
    processes, proposal_by_key, propose, review, RULEBOOK_FIELDS, save_district_budgets, save_process)
from portal.participation.budgeting.census import (  # noqa: F401
    census_by_district, CENSUS_COLUMNS, census_size, codes_left, has_voted, import_census, make_codes,
    MAX_CODES_PER_REQUEST, MAX_CODES_WITHOUT_CENSUS, record_staff_entry, redeem_code, staff_checked_voter,
    verification, verify_census, verify_in_person)
from portal.participation.budgeting.ballots import (  # noqa: F401
    ballot_limits, ballots, cast_ballot, change_ballot, check_choices, Choice, decode, encode,
    enter_paper_ballot, find_receipt, own_ballot, paper_ballot_recorded, turnout)
from portal.participation.budgeting.results import (  # noqa: F401
    district_rows, election, PLAN_TITLE, progress_for, publish_results, result_for, results, run_tally)
from portal.participation.budgeting.exchange import export_pabulib, import_pabulib  # noqa: F401
from portal.participation.budgeting.labels import reason_text  # noqa: F401
