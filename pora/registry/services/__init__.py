"""Every write to the registry. Views, API, imports and commands call these only."""

from pora.registry.services.changes import change_report_create
from pora.registry.services.permits import (
    permit_cancel,
    permit_record_departure,
    permit_save,
    permits_recompute_chain,
)
from pora.registry.services.persons import person_create, person_update, sponsor_get_or_create
from pora.registry.services.reference import (
    rule_set_create,
    visa_index_create,
    visa_index_delete,
    visa_index_in_use,
    visa_index_set_active,
    visa_index_update,
)

__all__ = [
    "change_report_create",
    "permit_cancel",
    "permit_record_departure",
    "permit_save",
    "permits_recompute_chain",
    "person_create",
    "person_update",
    "rule_set_create",
    "sponsor_get_or_create",
    "visa_index_create",
    "visa_index_delete",
    "visa_index_in_use",
    "visa_index_set_active",
    "visa_index_update",
]
